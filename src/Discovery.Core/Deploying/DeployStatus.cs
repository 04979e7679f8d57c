namespace Discovery.Core.Deploying;

/// <summary>The values of <see cref="DeployState.Status"/> and <see cref="DeployState.Outcome"/>.</summary>
internal static class DeployStatus
{
    public const string Rolling = "rolling";
    public const string Canary = "canary";
    public const string Done = "done";

    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Aborted = "aborted";
    public const string RolledBack = "rolled-back";
}
