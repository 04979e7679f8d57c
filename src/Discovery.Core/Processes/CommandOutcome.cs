namespace Discovery.Core.Processes;

/// <summary>How a <see cref="CommandRunner"/> command ended; <see cref="Output"/> is its stderr then stdout.</summary>
public sealed record CommandOutcome(bool TimedOut, int ExitCode, string Output)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    public string Describe() => TimedOut ? "timed out" : $"exit code {ExitCode}: {Output.Trim()}";
}
