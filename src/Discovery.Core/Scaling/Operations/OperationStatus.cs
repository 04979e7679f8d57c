namespace Discovery.Core.Scaling.Operations;

/// <summary>How an operator command ended; the CLI maps it to an exit code.</summary>
internal enum OperationStatus
{
    /// <summary>Done (exit 0).</summary>
    Succeeded,

    /// <summary>The input was wrong: bad count, unknown app, out of bounds (exit 2). Nothing was written.</summary>
    InvalidInput,

    /// <summary>Consul failed, or a wait timed out (exit 1).</summary>
    Failed,
}
