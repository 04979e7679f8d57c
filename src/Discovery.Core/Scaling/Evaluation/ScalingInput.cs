using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Evaluation;

/// <summary>Everything one evaluation looks at; time is passed in, so evaluation is a pure function.</summary>
internal sealed record ScalingInput(
    ScalingPolicy Policy,
    int CurrentCount,
    IReadOnlyDictionary<string, MetricReading> Readings,
    DateTimeOffset Now,
    ManualHold? Hold = null,
    bool Paused = false);
