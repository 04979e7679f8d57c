using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Scaling.Policies;

/// <summary>
/// How one app scales. Seeded from config and overridable in KV at
/// <c>discovery/apps/&lt;app&gt;/policy</c> (JSON, see <see cref="ScalingPolicyJson"/>); both are read by
/// <see cref="ScalingPolicyBinder"/>.
/// <para>
/// Thresholds and targets are <b>per instance</b>: the strategies compare metric ÷ current count.
/// A fixed total threshold ("add one above 100 rpm") never scales past two instances, because
/// the total does not drop when instances are added; per instance, the fleet grows with traffic.
/// </para>
/// Defaults follow the seeds' rule (scale at 100 requests/minute) made stable, with cooldowns
/// short enough for a lab demo but longer than an instance needs to start and take traffic.
/// </summary>
internal sealed record ScalingPolicy
{
    public static ScalingPolicy Default { get; } = new();

    /// <summary>Default <see cref="ScalingPolicyKind.Step"/>: the seeds' rule.</summary>
    public ScalingPolicyKind Kind { get; init; } = ScalingPolicyKind.Step;

    /// <summary>Name of the reading the policy scales on. Default <see cref="MetricNames.RequestsPerMinute"/>.</summary>
    public string Metric { get; init; } = MetricNames.RequestsPerMinute;

    /// <summary>Step: add instances when rpm per instance is above this. Default 100 (the seeds' threshold).</summary>
    public double UpperRpm { get; init; } = 100;

    /// <summary>
    /// Step: remove instances when rpm per instance is below this. Must be below
    /// <see cref="UpperRpm"/>. Default 50, half of upper: after one step up from one instance the
    /// per-instance rate halves at worst, so it cannot land below lower and flap straight back.
    /// </summary>
    public double LowerRpm { get; init; } = 50;

    /// <summary>Step: instances added or removed per decision. Default 1.</summary>
    public int StepSize { get; init; } = 1;

    /// <summary>Target: desired rpm per instance; count = ceil(rpm ÷ target). Default 80, headroom below the step threshold of 100.</summary>
    public double TargetRpm { get; init; } = 80;

    /// <summary>Target: no change while |rpm per instance ÷ target − 1| ≤ this. Default 0.1 (HPA's default).</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>Fewest instances, at least 1 (zero would leave nothing to measure traffic against). Default 1.</summary>
    public int Min { get; init; } = 1;

    /// <summary>Most instances. Default 10.</summary>
    public int Max { get; init; } = 10;

    /// <summary>The shortest evaluation interval a policy may have.</summary>
    public static readonly TimeSpan MinEvaluationInterval = TimeSpan.FromSeconds(1);

    /// <summary>Time between evaluations. Default 10 s (nomad-autoscaler's default).</summary>
    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>No further scale-up this long after a scale-up, so new instances can start and take traffic first. Default 30 s.</summary>
    public TimeSpan ScaleUpCooldown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>No scale-down this long after any scale (up or down). Default 60 s.</summary>
    public TimeSpan ScaleDownCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Scale down only to the highest recommendation seen in this window, so a short lull does not
    /// remove capacity a returning burst needs. Default 120 s (HPA uses 300 s; shorter for the lab).
    /// </summary>
    public TimeSpan ScaleDownStabilization { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Every problem with this policy as a whole (cross-field rules included), each with the field's
    /// name as its path (<c>max</c>); empty when valid. Bounds of single fields are the binder's
    /// (<see cref="ScalingPolicyBinder"/>), which prefixes these paths with the policy's own.
    /// </summary>
    public IReadOnlyList<ConfigError> Validate()
    {
        var errors = new List<ConfigError>();
        void Check(bool ok, string property, string message)
        {
            if (!ok)
            {
                errors.Add(new ConfigError(ScalingPolicyBinder.Key(property), message));
            }
        }

        Check(!string.IsNullOrWhiteSpace(Metric), nameof(Metric), "must not be empty");
        Check(Min >= 1, nameof(Min), "must be ≥ 1");
        Check(Max >= Min, nameof(Max), $"must be ≥ min ({Min})");
        if (Kind == ScalingPolicyKind.Step)
        {
            Check(IsFinite(LowerRpm) && LowerRpm >= 0, nameof(LowerRpm), "must be ≥ 0");
            Check(IsFinite(UpperRpm) && UpperRpm > 0, nameof(UpperRpm), "must be > 0");
            Check(!(IsFinite(UpperRpm) && IsFinite(LowerRpm)) || UpperRpm > LowerRpm, nameof(UpperRpm),
                $"must be greater than lowerRpm ({LowerRpm}); the gap between them stops flapping");
            Check(StepSize >= 1, nameof(StepSize), "must be ≥ 1");
        }
        else
        {
            Check(IsFinite(TargetRpm) && TargetRpm > 0, nameof(TargetRpm), "must be > 0");
            Check(IsFinite(Tolerance) && Tolerance >= 0 && Tolerance < 1, nameof(Tolerance), "must be ≥ 0 and < 1");
        }

        // Each evaluation reads KV (and may write): a "100ns" policy must not make the leader spin.
        Check(EvaluationInterval >= MinEvaluationInterval, nameof(EvaluationInterval), "must be at least 1s");
        Check(ScaleUpCooldown >= TimeSpan.Zero, nameof(ScaleUpCooldown), "must not be negative");
        Check(ScaleDownCooldown >= TimeSpan.Zero, nameof(ScaleDownCooldown), "must not be negative");
        Check(ScaleDownStabilization >= TimeSpan.Zero, nameof(ScaleDownStabilization), "must not be negative");
        return errors;
    }

    private static bool IsFinite(double value) => double.IsFinite(value);
}
