using System.Text.Json.Serialization;

namespace Discovery.Core.Deploying;

/// <summary>
/// <c>apps/&lt;app&gt;/deploy</c>: the app's version and the deploy in progress, written only by the
/// app's scaler leader (fenced, in the same transaction as the placement it implies), so a new
/// leader resumes exactly where the last one stopped. How far a rolling deploy got is not counted
/// here but in the placement itself (old-version counts only ever go down), so a step can never be
/// taken twice.
/// </summary>
internal sealed record DeployState
{
    /// <summary>The version the app runs or is moving to.</summary>
    public required string Version { get; init; }

    /// <summary>The version before this deploy (what --rollback and an auto-revert go back to); null when nothing ran before.</summary>
    public string? Previous { get; init; }

    /// <summary><see cref="DeployStatus"/> as text.</summary>
    public required string Status { get; init; }

    /// <summary>New instances started at once (surge) during a rolling step.</summary>
    public int MaxParallel { get; init; } = 1;

    /// <summary>Revert when the new version's share of 5xx answers (its instances' own <c>GET /stats</c>) passes this percent; null: not checked.</summary>
    public int? MaxErrorPercent { get; init; }

    /// <summary>How long a step's new instances must stay passing and routed before old ones are drained.</summary>
    public long MinHealthyMs { get; init; }

    /// <summary>How long a step's new instances may take to be passing and routed before the deploy reverts.</summary>
    public long HealthDeadlineMs { get; init; }

    /// <summary>While a canary runs: the share of requests (percent) the new version gets.</summary>
    public int? CanaryPercent { get; init; }

    /// <summary>True while going back to <see cref="Version"/> after a failed or aborted deploy.</summary>
    public bool Reverting { get; init; }

    /// <summary>When done (or reverting): succeeded, failed, aborted or rolled-back.</summary>
    public string? Outcome { get; init; }

    /// <summary>Why the last change of status happened (shown in status and history).</summary>
    public string? Reason { get; init; }

    /// <summary>When the current step's new instances were asked for.</summary>
    public DateTimeOffset? StepStartedAt { get; init; }

    /// <summary>Since when all of the current step's new instances are passing and routed.</summary>
    public DateTimeOffset? HealthySince { get; init; }

    /// <summary>The ModifyIndex of the last deploy request acted on (each request is acted on once).</summary>
    public ulong HandledRequest { get; init; }

    [JsonIgnore]
    public bool IsActive => Status is DeployStatus.Rolling or DeployStatus.Canary;

    [JsonIgnore]
    public TimeSpan MinHealthy => TimeSpan.FromMilliseconds(MinHealthyMs);

    [JsonIgnore]
    public TimeSpan HealthDeadline => TimeSpan.FromMilliseconds(HealthDeadlineMs);
}
