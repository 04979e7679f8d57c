namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>What to do after an exit: wait <see cref="Delay"/>, then start again.</summary>
/// <param name="CrashLoopReason">Non-null while the instance counts as crash-looping.</param>
/// <param name="CrashLoopStarted">True only for the exit that tipped it into a crash loop.</param>
public sealed record RestartDecision(TimeSpan Delay, string? CrashLoopReason, bool CrashLoopStarted);
