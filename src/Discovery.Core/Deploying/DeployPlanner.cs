using Stored = System.Collections.Generic.IReadOnlyDictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, int>>;
using System.Globalization;

namespace Discovery.Core.Deploying;

/// <summary>
/// The deploy's "given state → next step" as a pure function, run by the app's scaler leader in
/// every round while a deploy is active. The count is the scaler's (<see cref="DeployInput.Totals"/>);
/// the deploy only splits each node's count between versions:
/// <list type="bullet">
/// <item>old-version counts come from the stored placement and only ever go down (never above the
/// node's total), so no old instance is ever started and a step cannot be taken twice, whichever
/// leader takes it;</item>
/// <item>a step adds up to max-parallel new instances (surge) next to the old ones; once every new
/// instance is passing and routed for min-healthy, as many old ones are dropped — the node agents
/// drain them LB-confirmed — and the next step starts in the same write, so routed instances never
/// fall below the count;</item>
/// <item>new instances not passing and routed within the health deadline revert the deploy (the same
/// steps back to the previous version), and so do --abort and --rollback;</item>
/// <item>a canary keeps its surge and gets a balancer weight so that it serves the asked share.</item>
/// </list>
/// </summary>
internal static class DeployPlanner
{
    private static readonly IReadOnlyDictionary<string, int> NoWeights = new Dictionary<string, int>();

    public static DeployPlan Plan(DeployInput input)
    {
        var events = new List<string>();
        var state = input.State;
        var stored = Resolve(input.Stored, state?.Previous);
        if (input.Request is { } pending)
        {
            (state, stored) = Handle(pending.Request, state, input, stored, events);
            if (state is not null)
            {
                state = state with { HandledRequest = pending.Index };
            }
        }

        if (state is null)
        {
            return new DeployPlan(null, null, NoWeights, events);
        }

        return state.IsActive
            ? Step(state, input, stored, events)
            : new DeployPlan(state, Steady(state.Version, input.Totals), NoWeights, events);
    }

    /// <summary>The version most instances run now (ties: ordinal order); null when none runs.</summary>
    public static string? Dominant(IReadOnlyList<ObservedInstance> instances) => instances
        .GroupBy(instance => instance.Version, StringComparer.Ordinal)
        .OrderByDescending(group => group.Count())
        .ThenBy(group => group.Key, StringComparer.Ordinal)
        .Select(group => group.Key)
        .FirstOrDefault();

    private static (DeployState?, Stored) Handle(DeployRequest request, DeployState? state, DeployInput input, Stored stored, List<string> events)
    {
        var now = input.Now;
        var by = request.RequestedBy is { Length: > 0 } who ? $" by {who}" : " by the operator";
        switch (request.Action)
        {
            case DeployRequest.Deploy when state is { IsActive: true }:
                events.Add($"request to deploy {request.Version} ignored: {Describe(state)} is in progress (abort it first)");
                return (state, stored);
            case DeployRequest.Deploy:
                var current = state?.Version ?? Dominant(input.Instances);
                if (current == request.Version)
                {
                    events.Add($"already on {current}: nothing to deploy");
                    return (state ?? Done(current!, null, DeployStatus.Succeeded, "already running"), stored);
                }

                if (current is null)
                {
                    events.Add($"deploy of {request.Version}: nothing ran before, starting it directly");
                    return (Done(request.Version!, null, DeployStatus.Succeeded, "nothing ran before"), stored);
                }

                var started = FromRequest(request, request.Version!, current, now) with
                {
                    Reason = $"deploy {current} → {request.Version} requested{by}",
                };
                events.Add($"deploy {current} → {request.Version} started{by}: " + (started.Status == DeployStatus.Canary
                    ? $"canary at {started.CanaryPercent}%"
                    : $"rolling, max-parallel {started.MaxParallel}, min-healthy {Seconds(started.MinHealthy)}, health deadline {Seconds(started.HealthDeadline)}"));
                return (started, Resolve(input.Stored, current));
            case DeployRequest.Abort or DeployRequest.Rollback when state is { IsActive: true, Reverting: false }:
                var (outcome, reason) = request.Action == DeployRequest.Abort
                    ? (DeployStatus.Aborted, $"aborted{by}")
                    : (DeployStatus.RolledBack, $"rolled back{by}");
                return (Revert(state, outcome, reason, now, events), stored);
            case DeployRequest.Rollback when state is { IsActive: false, Previous: { } previous }:
                events.Add($"rollback {state.Version} → {previous} started{by}");
                return (FromRequest(request with { CanaryPercent = null }, previous, state.Version, now) with { Reason = $"rollback requested{by}" }, Resolve(input.Stored, state.Version));
            case DeployRequest.Promote when state is { Status: DeployStatus.Canary }:
                var canary = DeployShape.Of(state, input.Totals, stored);
                var ready = Ready(state, input);
                var promoted = state with { Status = DeployStatus.Rolling, CanaryPercent = null, StepStartedAt = now, HealthySince = null, Reason = $"promoted{by}" };
                events.Add($"canary of {state.Version} promoted{by}" + (ready >= canary.Wanted ? $": its {canary.SurgeTotal} instance(s) replace old ones, rolling on" : ": canaries not ready yet, rolling on"));
                return (promoted, ready >= canary.Wanted ? canary.Advanced() : stored);
            default:
                events.Add($"request to {request.Action} ignored: " + (state is null ? "no deploy ever ran" : $"{Describe(state)}"));
                return (state, stored);
        }
    }

    private static DeployPlan Step(DeployState state, DeployInput input, Stored stored, List<string> events)
    {
        var shape = DeployShape.Of(state, input.Totals, stored);
        if (state.Status == DeployStatus.Rolling && shape.OldTotal == 0)
        {
            return Finish(state, input, events);
        }

        if (!state.Reverting && ErrorShareProblem(state, input) is { } errors)
        {
            var reverted = Revert(state with { HealthySince = null }, DeployStatus.Failed, errors, input.Now, events);
            return reverted.IsActive ? Step(reverted, input, stored, events) : new DeployPlan(reverted, Steady(reverted.Version, input.Totals), NoWeights, events);
        }

        var ready = Ready(state, input);
        if (ready < shape.Wanted)
        {
            state = state with { HealthySince = null };
            var startedAt = state.StepStartedAt ?? input.Now;
            if (!state.Reverting && input.Now - startedAt >= state.HealthDeadline)
            {
                var reason = $"{shape.Wanted - ready} of {shape.Wanted} instance(s) of {state.Version} not passing and routed within {Seconds(state.HealthDeadline)}";
                var reverted = Revert(state, DeployStatus.Failed, reason, input.Now, events);
                return reverted.IsActive ? Step(reverted, input, stored, events) : new DeployPlan(reverted, Steady(reverted.Version, input.Totals), NoWeights, events);
            }

            return new DeployPlan(state, shape.Placement(state.Version, input.Totals), Weights(state, shape), events);
        }

        var since = state.HealthySince ?? input.Now;
        var minHealthy = state.Reverting ? TimeSpan.Zero : state.MinHealthy;
        if (state.Status != DeployStatus.Rolling || input.Now - since < minHealthy)
        {
            return new DeployPlan(state with { HealthySince = since }, shape.Placement(state.Version, input.Totals), Weights(state, shape), events);
        }

        var next = state with { HealthySince = null, StepStartedAt = input.Now };
        var nextShape = DeployShape.Of(next, input.Totals, shape.Advanced());
        var total = input.Totals.Values.Sum();
        events.Add($"{state.Version}: {total - nextShape.OldTotal} of {total} instance(s) replaced" +
                   (nextShape.OldTotal > 0 ? $"; next step: {nextShape.SurgeTotal} more" : ""));
        return nextShape.OldTotal == 0
            ? Finish(next, input, events)
            : new DeployPlan(next, nextShape.Placement(next.Version, input.Totals), NoWeights, events);
    }

    private static DeployState Revert(DeployState state, string outcome, string reason, DateTimeOffset now, List<string> events)
    {
        if (state.Previous is not { } previous)
        {
            events.Add($"{state.Version}: {outcome}: {reason}; no previous version to go back to");
            return Done(state.Version, null, outcome, reason);
        }

        events.Add($"{state.Version}: {outcome}: {reason}; reverting to {previous}");
        if (state.Status == DeployStatus.Canary)
        {
            // The old version still runs in full: dropping the canaries is the whole revert.
            return Done(previous, state.Version, outcome, reason);
        }

        return state with
        {
            Version = previous,
            Previous = state.Version,
            Status = DeployStatus.Rolling,
            Reverting = true,
            Outcome = outcome,
            Reason = reason,
            CanaryPercent = null,
            StepStartedAt = now,
            HealthySince = null,
        };
    }

    private static DeployPlan Finish(DeployState state, DeployInput input, List<string> events)
    {
        var done = Done(state.Version, state.Previous, state.Reverting ? state.Outcome ?? DeployStatus.Failed : DeployStatus.Succeeded, state.Reverting ? state.Reason : $"every instance runs {state.Version}")
            with { HandledRequest = state.HandledRequest, MaxParallel = state.MaxParallel, MinHealthyMs = state.MinHealthyMs, HealthDeadlineMs = state.HealthDeadlineMs };
        events.Add(state.Reverting ? $"back on {state.Version}; the deploy of {state.Previous} {done.Outcome}: {done.Reason}" : $"deploy of {state.Version} succeeded");
        return new DeployPlan(done, Steady(done.Version, input.Totals), NoWeights, events);
    }

    private static DeployState FromRequest(DeployRequest request, string version, string previous, DateTimeOffset now) => new()
    {
        Version = version,
        Previous = previous,
        Status = request.CanaryPercent is null ? DeployStatus.Rolling : DeployStatus.Canary,
        MaxParallel = request.MaxParallel,
        MaxErrorPercent = request.MaxErrorPercent,
        MinHealthyMs = request.MinHealthyMs,
        HealthDeadlineMs = request.HealthDeadlineMs,
        CanaryPercent = request.CanaryPercent,
        StepStartedAt = now,
    };

    private static DeployState Done(string version, string? previous, string outcome, string? reason) => new()
    {
        Version = version,
        Previous = previous,
        Status = DeployStatus.Done,
        Outcome = outcome,
        Reason = reason,
        HealthDeadlineMs = DeployRequest.DefaultHealthDeadlineMs,
    };

    /// <summary>Fewer answers than this say nothing about an error share (one 500 of 3 is not 33 %).</summary>
    public const long MinRequestsForErrorShare = 20;

    /// <summary>Why the new version's 5xx share is too high; null when it is fine or not known yet.</summary>
    private static string? ErrorShareProblem(DeployState state, DeployInput input)
    {
        var counted = input.Instances.Where(instance => instance.Version == state.Version && instance.Requests is not null).ToList();
        long requests = counted.Sum(instance => instance.Requests!.Value), errors = counted.Sum(instance => instance.ServerErrors ?? 0);
        return state.MaxErrorPercent is { } limit && requests >= MinRequestsForErrorShare && errors * 100 > limit * requests
            ? $"5xx share of {state.Version} is {errors * 100.0 / requests:0.#}% ({errors} of {requests} requests), over {limit}%"
            : null;
    }

    private static int Ready(DeployState state, DeployInput input) =>
        input.Instances.Count(instance => instance.Version == state.Version && instance.Ready);

    /// <summary>
    /// While a canary runs, weights that give the new version its share whatever the counts:
    /// c canaries at weight O·p and O old instances at weight c·(100−p) serve p % on the new version.
    /// </summary>
    private static IReadOnlyDictionary<string, int> Weights(DeployState state, DeployShape shape)
    {
        if (state is not { Status: DeployStatus.Canary, CanaryPercent: { } percent } || shape.SurgeTotal == 0 || shape.OldTotal == 0)
        {
            return NoWeights;
        }

        long newWeight = (long)shape.OldTotal * percent, oldWeight = (long)shape.SurgeTotal * (100 - percent);
        var divisor = Gcd(newWeight, oldWeight);
        (newWeight, oldWeight) = (newWeight / divisor, oldWeight / divisor);
        var scale = Math.Max(1, (Math.Max(newWeight, oldWeight) + MaxWeight - 1) / MaxWeight);
        var weights = new Dictionary<string, int>(StringComparer.Ordinal) { [state.Version] = (int)Math.Max(1, newWeight / scale) };
        foreach (var version in shape.Old.Values.SelectMany(versions => versions.Keys).Distinct())
        {
            weights[version] = (int)Math.Max(1, oldWeight / scale);
        }

        return weights;
    }

    /// <summary>The peer-set line format's (and the Lua balancer's) largest weight.</summary>
    public const int MaxWeight = 1000;

    private static long Gcd(long a, long b) => b == 0 ? Math.Max(a, 1) : Gcd(b, a % b);

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Steady(string version, IReadOnlyDictionary<string, int> totals) =>
        totals.ToDictionary(pair => pair.Key, pair => (IReadOnlyDictionary<string, int>)new Dictionary<string, int> { [version] = pair.Value }, StringComparer.Ordinal);

    private static Stored Resolve(IReadOnlyDictionary<string, PlacementVersions> stored, string? plainVersion) =>
        stored.ToDictionary(pair => pair.Key, pair => pair.Value.Resolve(plainVersion), StringComparer.Ordinal);

    private static string Describe(DeployState state) => state.IsActive
        ? (state.Reverting ? $"the revert to {state.Version}" : $"the deploy of {state.Version} ({state.Status})")
        : $"the app is on {state.Version}, nothing in progress";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
