using Stored = System.Collections.Generic.IReadOnlyDictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, int>>;

namespace Discovery.Core.Deploying;

/// <summary>One deploy step's split: old instances kept per node and version, new ones started next to them (surge), new ones wanted in all.</summary>
internal sealed record DeployShape(
    IReadOnlyDictionary<string, Dictionary<string, int>> Old,
    IReadOnlyDictionary<string, int> Surge,
    int OldTotal,
    int SurgeTotal,
    int Wanted)
{
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Placement(string version, IReadOnlyDictionary<string, int> totals) =>
        Old.ToDictionary(
            pair => pair.Key,
            pair =>
            {
                var versions = new Dictionary<string, int>(pair.Value, StringComparer.Ordinal);
                versions[version] = Math.Max(totals[pair.Key], 0) - pair.Value.Values.Sum() + Surge[pair.Key];
                return (IReadOnlyDictionary<string, int>)versions;
            },
            StringComparer.Ordinal);

    /// <summary>The stored placement after this step's new instances replaced as many old ones.</summary>
    public Stored Advanced() => Old.ToDictionary(
        pair => pair.Key,
        pair =>
        {
            var versions = new Dictionary<string, int>(pair.Value, StringComparer.Ordinal);
            var drop = Surge[pair.Key];
            foreach (var old in versions.Keys.Order(StringComparer.Ordinal).ToList())
            {
                var cut = Math.Min(drop, versions[old]);
                versions[old] -= cut;
                drop -= cut;
            }

            return (IReadOnlyDictionary<string, int>)versions.Where(entry => entry.Value > 0).ToDictionary(StringComparer.Ordinal);
        },
        StringComparer.Ordinal);

    public static DeployShape Of(DeployState state, IReadOnlyDictionary<string, int> totals, Stored stored)
    {
        var old = new SortedDictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (node, total) in totals.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var versions = stored.TryGetValue(node, out var map)
                ? map.Where(pair => pair.Key != state.Version && pair.Value > 0).ToDictionary(StringComparer.Ordinal)
                : new Dictionary<string, int>(StringComparer.Ordinal);
            // A scale-down takes old instances first; old counts never grow.
            var excess = versions.Values.Sum() - Math.Max(total, 0);
            foreach (var version in versions.Keys.Order(StringComparer.Ordinal).Reverse().ToList())
            {
                var cut = Math.Min(excess, versions[version]);
                if (cut > 0)
                {
                    versions[version] -= cut;
                    excess -= cut;
                }
            }

            old[node] = versions.Where(pair => pair.Value > 0).ToDictionary(StringComparer.Ordinal);
        }

        var oldTotal = old.Values.Sum(versions => versions.Values.Sum());
        var wantedSurge = state.Status == DeployStatus.Canary
            ? Math.Max(1, (int)Math.Ceiling(totals.Values.Sum() * (state.CanaryPercent ?? 0) / 100.0))
            : state.MaxParallel;
        var surge = old.Keys.ToDictionary(node => node, _ => 0, StringComparer.Ordinal);
        var left = Math.Min(wantedSurge, oldTotal);
        while (left > 0)
        {
            foreach (var node in old.Keys.Where(node => surge[node] < old[node].Values.Sum()))
            {
                if (left == 0)
                {
                    break;
                }

                surge[node]++;
                left--;
            }
        }

        var wanted = totals.Sum(pair => Math.Max(pair.Value, 0) - old[pair.Key].Values.Sum() + surge[pair.Key]);
        return new DeployShape(old, surge, oldTotal, surge.Values.Sum(), wanted);
    }
}
