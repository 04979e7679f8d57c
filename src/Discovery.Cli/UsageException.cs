namespace Discovery.Cli;

/// <summary>Bad input the parser cannot catch (conflicting options, unreadable token file); exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
