namespace Discovery.Core.Rendering.Peers;

/// <summary>The result of <see cref="PeerSetInstaller.InstallAsync"/>.</summary>
/// <param name="Routed">Instance IDs nginx routes to now (its own view after a push; the saved set otherwise). Empty when failed.</param>
/// <param name="Problems">Lines skipped as invalid, with why.</param>
/// <param name="Error">Why it failed; also set when a push succeeded but saving the file did not.</param>
/// <param name="Unreachable">Failed because nginx did not answer (starting, or stopped after the running check).</param>
internal sealed record PeerInstallOutcome(
    PeerInstallResult Result,
    IReadOnlyList<string> Routed,
    IReadOnlyList<string> Problems,
    string? Error = null,
    bool Unreachable = false)
{
    public static PeerInstallOutcome Failure(string error, bool unreachable = false) => new(PeerInstallResult.Failed, [], [], error, unreachable);
}
