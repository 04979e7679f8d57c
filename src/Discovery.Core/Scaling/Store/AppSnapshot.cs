using System.Globalization;
using Discovery.Consul.KV;
using Discovery.Core.NodeAgent.Reconciliation;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Store;

/// <summary>
/// Everything under <c>apps/&lt;app&gt;/</c> from one list read, as raw text: the scaler decides
/// what garbage means for each key, so parsing here never throws and never guesses.
/// </summary>
internal sealed record AppSnapshot
{
    public KVPair? Desired { get; init; }

    public string? DesiredText => Desired?.ValueAsString().Trim();

    /// <summary>The desired count when the key holds a plain non-negative integer; otherwise null.</summary>
    public int? DesiredCount => ParseCount(DesiredText);

    public string? PolicyText { get; init; }

    public string? HoldText { get; init; }

    public string? AutoscaleText { get; init; }

    public string? ScalerStateText { get; init; }

    public string? DeployText { get; init; }

    public KVPair? DeployRequest { get; init; }

    /// <summary>Raw balancer weights by version (canary).</summary>
    public IReadOnlyDictionary<string, string> WeightText { get; init; } = new Dictionary<string, string>();

    /// <summary>Raw placement values by node.</summary>
    public IReadOnlyDictionary<string, string> PlacementText { get; init; } = new Dictionary<string, string>();

    /// <summary>Sequences of the stored history entries, ascending.</summary>
    public IReadOnlyList<long> HistorySequences { get; init; } = [];

    /// <summary>Placement counts for the planner; a garbage value counts as 0 (and is rewritten by the plan).</summary>
    public IReadOnlyDictionary<string, int> PlacementCounts =>
        PlacementText.ToDictionary(p => p.Key, p => PlacementValue.Parse(p.Value).Count ?? 0, StringComparer.Ordinal);

    public static AppSnapshot From(ScalerKeys keys, IEnumerable<KVPair> pairs)
    {
        KVPair? desired = null;
        string? policy = null, hold = null, autoscale = null, state = null, deploy = null;
        KVPair? deployRequest = null;
        var weights = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var placement = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var history = new List<long>();
        foreach (var pair in pairs)
        {
            var key = pair.Key;
            if (key == keys.Desired)
            {
                desired = pair;
            }
            else if (key == keys.Policy)
            {
                policy = pair.ValueAsString();
            }
            else if (key == keys.Hold)
            {
                hold = pair.ValueAsString();
            }
            else if (key == keys.Autoscale)
            {
                autoscale = pair.ValueAsString();
            }
            else if (key == keys.ScalerState)
            {
                state = pair.ValueAsString();
            }
            else if (key == keys.Deploy)
            {
                deploy = pair.ValueAsString();
            }
            else if (key == keys.DeployRequest)
            {
                deployRequest = pair;
            }
            else if (key.StartsWith(keys.WeightsPrefix, StringComparison.Ordinal) && key.Length > keys.WeightsPrefix.Length)
            {
                weights[key[keys.WeightsPrefix.Length..]] = pair.ValueAsString();
            }
            else if (key.StartsWith(keys.PlacementPrefix, StringComparison.Ordinal) && key.Length > keys.PlacementPrefix.Length
                     && !key.AsSpan(keys.PlacementPrefix.Length).Contains('/'))
            {
                placement[key[keys.PlacementPrefix.Length..]] = pair.ValueAsString().Trim();
            }
            else if (keys.HistorySequence(key) is { } sequence)
            {
                history.Add(sequence);
            }
        }

        history.Sort();
        return new AppSnapshot
        {
            Desired = desired,
            PolicyText = policy,
            HoldText = hold,
            AutoscaleText = autoscale,
            ScalerStateText = state,
            DeployText = deploy,
            DeployRequest = deployRequest,
            WeightText = weights,
            PlacementText = placement,
            HistorySequences = history,
        };
    }

    /// <summary>
    /// A plain non-negative integer up to the node cap ("3"), or null for anything else ("abc", "-1",
    /// "3.5", "", "2147483647": above the cap any policy may name, <see cref="ScalingPolicyBinder.MaxInstances"/>,
    /// so that no sum of counts read from KV can overflow and no node agent is told to start millions).
    /// </summary>
    public static int? ParseCount(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= ScalingPolicyBinder.MaxInstances ? count : null;
}
