namespace Discovery.Core.Rendering.Commands;

/// <summary>How an external command ended; <see cref="Output"/> is its stderr and stdout, which is where programs explain themselves.</summary>
internal sealed record CommandResult(bool TimedOut, int ExitCode, string Output)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>For a command that did not need to run (nginx not started yet: nothing to reload).</summary>
    public static CommandResult Skipped(string why) => new(false, 0, why);

    public string Describe() => TimedOut ? "timed out" : $"exit code {ExitCode}: {Output.Trim()}";
}
