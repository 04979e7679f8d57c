using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// Equality of the values <see cref="ConsulTemplateDataSource"/> keeps per dependency, by content:
/// instance lists field by field (tags in order, meta as a set of pairs), catalog service lists,
/// keys. A watch answer equal to the value already held is no change, so nothing re-renders — the
/// rule consul-template applies too (its view compares the new data with the last).
/// </summary>
internal sealed class TemplateDataComparer : IEqualityComparer<object?>
{
    public static readonly TemplateDataComparer Instance = new();

    public new bool Equals(object? x, object? y) => (x, y) switch
    {
        _ when ReferenceEquals(x, y) => true,
        (IReadOnlyList<TemplateServiceInstance> a, IReadOnlyList<TemplateServiceInstance> b) => SameItems(a, b, SameInstance),
        (IReadOnlyList<TemplateCatalogService> a, IReadOnlyList<TemplateCatalogService> b) => SameItems(a, b, (s, t) => s.Name == t.Name && s.Tags.SequenceEqual(t.Tags)),
        (TemplateDataSnapshot.KeyValue a, TemplateDataSnapshot.KeyValue b) => a == b,
        _ => false,
    };

    public int GetHashCode(object? obj) => obj switch
    {
        IReadOnlyList<TemplateServiceInstance> list => list.Count,
        IReadOnlyList<TemplateCatalogService> list => list.Count,
        TemplateDataSnapshot.KeyValue key => key.GetHashCode(),
        _ => 0,
    };

    private static bool SameItems<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, T, bool> same)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!same(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameInstance(TemplateServiceInstance a, TemplateServiceInstance b) =>
        a.Node == b.Node && a.NodeAddress == b.NodeAddress && a.ID == b.ID && a.Name == b.Name
        && a.Address == b.Address && a.Port == b.Port && a.Status == b.Status
        && a.Tags.SequenceEqual(b.Tags)
        && a.ServiceMeta.Count == b.ServiceMeta.Count
        && a.ServiceMeta.All(pair => b.ServiceMeta.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
