using System.Globalization;
using System.Net;
using Discovery.Consul.Health;

namespace Discovery.TodoApp;

/// <summary>
/// Which members to use, from the passing <c>pg</c> instances (pure, table-tested): the primary is
/// the passing instance tagged <c>primary</c> with the highest generation (a stale one that has not
/// noticed a failover yet never wins); readers are the passing replicas. Entries come from Consul and
/// are validated; an unusable one is skipped.
/// </summary>
internal static class DatabaseChoice
{
    public static (DatabaseEndpoint? Primary, IReadOnlyList<DatabaseEndpoint> Replicas) From(IEnumerable<ServiceEntry> passing)
    {
        var primaries = new List<DatabaseEndpoint>();
        var replicas = new List<DatabaseEndpoint>();
        foreach (var entry in passing)
        {
            var meta = entry.Service.Meta ?? new Dictionary<string, string>();
            if (!IPAddress.TryParse(entry.EffectiveAddress, out _) || entry.Service.Port is < 1 or > 65535
                || !meta.TryGetValue("generation", out var generationText) || !long.TryParse(generationText, NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
                || !meta.TryGetValue("node", out var node))
            {
                continue;
            }

            var endpoint = new DatabaseEndpoint(node, entry.EffectiveAddress, entry.Service.Port, generation);
            var tags = entry.Service.Tags ?? [];
            if (tags.Contains("primary"))
            {
                primaries.Add(endpoint);
            }
            else if (tags.Contains("replica"))
            {
                replicas.Add(endpoint);
            }
        }

        return (primaries.OrderByDescending(primary => primary.Generation).FirstOrDefault(), [.. replicas.OrderBy(replica => replica.Node, StringComparer.Ordinal)]);
    }
}
