using System.Globalization;
using Discovery.Consul.Durations;

namespace Discovery.Core.Lab;

/// <summary>
/// The scaler timings and step thresholds the lab writes into scaler.yaml. <see cref="Default"/> is
/// the calm demo; <see cref="Fast"/> (`lab up --fast`) makes a scale-up and the following
/// scale-down happen within well under a minute, so autoscaling can be watched and tested.
/// </summary>
internal sealed record LabScalerTimings(
    TimeSpan ScrapeInterval,
    TimeSpan Window,
    double UpperRpm,
    double LowerRpm,
    int Min,
    int Max,
    TimeSpan EvaluationInterval,
    TimeSpan ScaleUpCooldown,
    TimeSpan ScaleDownCooldown,
    TimeSpan ScaleDownStabilization)
{
    public static LabScalerTimings Default { get; } = new(
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), 100, 50, 1, 10,
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120));

    public static LabScalerTimings Fast { get; } = new(
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 100, 40, 1, 4,
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6));

    /// <summary>The scaler.yaml `metrics:` flow map.</summary>
    public string MetricsYaml() => $"{{ scrapeInterval: {D(ScrapeInterval)}, window: {D(Window)} }}";

    /// <summary>The scaler.yaml `policy:` flow map (step policy; same field names as the KV policy JSON).</summary>
    public string PolicyYaml() => string.Create(CultureInfo.InvariantCulture,
        $"{{ kind: step, upperRpm: {UpperRpm}, lowerRpm: {LowerRpm}, min: {Min}, max: {Max}, evaluationInterval: {D(EvaluationInterval)}, " +
        $"scaleUpCooldown: {D(ScaleUpCooldown)}, scaleDownCooldown: {D(ScaleDownCooldown)}, scaleDownStabilization: {D(ScaleDownStabilization)} }}");

    /// <summary>One line for the `lab up` banner.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"step {LowerRpm}-{UpperRpm} rpm/instance, {Min}-{Max} instances; scrape {D(ScrapeInterval)} over {D(Window)}, evaluate every {D(EvaluationInterval)}, " +
        $"cooldown up {D(ScaleUpCooldown)} / down {D(ScaleDownCooldown)}, scale-down stabilization {D(ScaleDownStabilization)}");

    private static string D(TimeSpan value) => GoDuration.Format(value);
}
