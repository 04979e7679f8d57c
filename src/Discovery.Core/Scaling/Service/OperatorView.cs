using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Service;

/// <summary>What the operator's keys say for one round, garbage already replaced by what stays in force.</summary>
/// <param name="Policy">The policy in force (KV override, else the config's).</param>
/// <param name="CurrentCount">The desired count to scale from.</param>
/// <param name="Hold">A manual hold, when one is set and valid.</param>
/// <param name="Paused">True while <c>autoscale</c> is <c>off</c>.</param>
internal sealed record OperatorView(ScalingPolicy Policy, int CurrentCount, ManualHold? Hold, bool Paused);
