namespace Discovery.Core.Deploying;

/// <summary>
/// <c>apps/&lt;app&gt;/deploy-request</c>, written by <c>agent deploy</c> (the operator asks; only the
/// leader acts). Its ModifyIndex identifies it; the leader records the last one it handled in
/// <see cref="DeployState.HandledRequest"/>. Untrusted: <see cref="DeployRequestJson"/> validates it.
/// </summary>
internal sealed record DeployRequest
{
    /// <summary>deploy, abort, rollback or promote.</summary>
    public required string Action { get; init; }

    /// <summary>With deploy: the version to run.</summary>
    public string? Version { get; init; }

    public int MaxParallel { get; init; } = 1;

    /// <summary>Revert when the new version's share of 5xx answers (its instances' own <c>GET /stats</c>) passes this percent; null: not checked.</summary>
    public int? MaxErrorPercent { get; init; }

    public long MinHealthyMs { get; init; }

    public long HealthDeadlineMs { get; init; } = DefaultHealthDeadlineMs;

    /// <summary>With deploy: start as a canary getting this share (1–99 %) of requests.</summary>
    public int? CanaryPercent { get; init; }

    public DateTimeOffset? RequestedAt { get; init; }

    public string? RequestedBy { get; init; }

    public const long DefaultHealthDeadlineMs = 60_000;

    public const string Deploy = "deploy";
    public const string Abort = "abort";
    public const string Rollback = "rollback";
    public const string Promote = "promote";
}
