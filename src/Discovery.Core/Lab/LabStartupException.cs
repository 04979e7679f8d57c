namespace Discovery.Core.Lab;

/// <summary>The lab started but did not become healthy (a process died, or a wait timed out); everything was stopped again.</summary>
internal sealed class LabStartupException(string message) : Exception(message);
