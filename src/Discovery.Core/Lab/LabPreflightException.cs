namespace Discovery.Core.Lab;

/// <summary>The lab cannot start as asked (port taken, binary missing, lab already running); nothing was started.</summary>
internal sealed class LabPreflightException(string message) : Exception(message);
