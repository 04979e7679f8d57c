namespace Discovery.Core.Rendering.Install;

/// <summary>How an nginx command ended; <see cref="Output"/> is its stderr and stdout, which is where nginx explains itself.</summary>
internal sealed record CommandResult(bool TimedOut, int ExitCode, string Output)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    public string Describe() => TimedOut ? "timed out" : $"exit code {ExitCode}: {Output.Trim()}";
}
