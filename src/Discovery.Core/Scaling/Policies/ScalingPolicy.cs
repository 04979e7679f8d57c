using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Scaling.Policies;

/// <summary>
/// How one app scales. Seeded from config and overridable in KV at
/// <c>discovery/apps/&lt;app&gt;/policy</c> (JSON, see <see cref="ScalingPolicyJson"/>).
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

    /// <summary>Every problem with this policy, each prefixed with its JSON path (<c>policy.min: …</c>); empty when valid.</summary>
    public IReadOnlyList<string> Validate() => Validate(skipFields: null);

    /// <summary>
    /// As <see cref="Validate()"/>, but skips rules involving <paramref name="skipFields"/> (JSON
    /// names) — fields that already failed to parse would otherwise produce a second, misleading error.
    /// </summary>
    public IReadOnlyList<string> Validate(IReadOnlySet<string>? skipFields)
    {
        var errors = new List<string>();
        void Check(bool ok, string message, params string[] fields)
        {
            if (!ok && (skipFields is null || !fields.Any(skipFields.Contains)))
            {
                errors.Add($"policy.{fields[0]}: {message}");
            }
        }

        Check(!string.IsNullOrWhiteSpace(Metric), "must not be empty", "metric");
        Check(Min >= 1, "must be ≥ 1", "min");
        Check(Max >= Min, $"must be ≥ min ({Min})", "max", "min");
        if (Kind == ScalingPolicyKind.Step)
        {
            Check(IsFinite(LowerRpm) && LowerRpm >= 0, "must be ≥ 0", "lowerRpm");
            Check(IsFinite(UpperRpm) && UpperRpm > 0, "must be > 0", "upperRpm");
            Check(
                !(IsFinite(UpperRpm) && IsFinite(LowerRpm)) || UpperRpm > LowerRpm,
                $"must be greater than lowerRpm ({LowerRpm}); the gap between them stops flapping",
                "upperRpm",
                "lowerRpm");
            Check(StepSize >= 1, "must be ≥ 1", "stepSize");
        }
        else
        {
            Check(IsFinite(TargetRpm) && TargetRpm > 0, "must be > 0", "targetRpm");
            Check(IsFinite(Tolerance) && Tolerance >= 0 && Tolerance < 1, "must be ≥ 0 and < 1", "tolerance");
        }

        Check(EvaluationInterval > TimeSpan.Zero, "must be positive", "evaluationInterval");
        Check(ScaleUpCooldown >= TimeSpan.Zero, "must not be negative", "scaleUpCooldown");
        Check(ScaleDownCooldown >= TimeSpan.Zero, "must not be negative", "scaleDownCooldown");
        Check(ScaleDownStabilization >= TimeSpan.Zero, "must not be negative", "scaleDownStabilization");
        return errors;
    }

    private static bool IsFinite(double value) => double.IsFinite(value);
}
