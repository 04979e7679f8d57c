namespace Discovery.Core.Scaling.Operations;

/// <summary>Outcome of an operator command with a message meant for the terminal.</summary>
internal sealed record OperationResult(OperationStatus Status, string Message)
{
    public bool Succeeded => Status == OperationStatus.Succeeded;

    /// <summary>0, 2 for bad input, 1 for runtime failures.</summary>
    public int ExitCode => Status switch
    {
        OperationStatus.Succeeded => 0,
        OperationStatus.InvalidInput => 2,
        _ => 1,
    };

    public static OperationResult Ok(string message) => new(OperationStatus.Succeeded, message);

    public static OperationResult Invalid(string message) => new(OperationStatus.InvalidInput, message);

    public static OperationResult Failed(string message) => new(OperationStatus.Failed, message);
}
