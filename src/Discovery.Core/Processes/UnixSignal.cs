namespace Discovery.Core.Processes;

/// <summary>The few Linux signal numbers the agent sends.</summary>
public enum UnixSignal
{
    /// <summary>Delivers nothing; only checks that the target exists.</summary>
    None = 0,
    Hangup = 1,
    Interrupt = 2,
    Kill = 9,
    Terminate = 15,
}
