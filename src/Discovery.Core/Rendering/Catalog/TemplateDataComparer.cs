using System.Collections;
using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// Equality of the values <see cref="ConsulTemplateDataSource"/> keeps per dependency, as the
/// template sees them: strings and numbers by value, consul-template's structs field by field
/// (<see cref="StructShape.Values"/>), maps as sets of pairs, lists item by item. A watch answer
/// equal to the value already held is no change, so nothing re-renders — consul-template's rule
/// too (its view compares new data with the last before it triggers a render).
/// </summary>
internal sealed class TemplateDataComparer : IEqualityComparer<object?>
{
    public static readonly TemplateDataComparer Instance = new();

    private TemplateDataComparer()
    {
    }

    public new bool Equals(object? x, object? y) => (x, y) switch
    {
        _ when ReferenceEquals(x, y) => true,
        (null, _) or (_, null) => false,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (ITemplateStruct a, ITemplateStruct b) => a.Shape == b.Shape && a.Shape.Values(a).Zip(b.Shape.Values(b)).All(pair => Equals(pair.First.Value, pair.Second.Value)),
        (IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
            a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && string.Equals(value, pair.Value, StringComparison.Ordinal)),
        (IEnumerable a, IEnumerable b) => SameItems(a, b),
        _ => x.Equals(y),
    };

    public int GetHashCode(object? obj) => obj switch
    {
        null => 0,
        string text => text.GetHashCode(StringComparison.Ordinal),
        ICollection collection => collection.Count,
        _ => 1, // only Equals is used (WhereChanged-style comparisons), never hashing
    };

    private bool SameItems(IEnumerable a, IEnumerable b)
    {
        var left = a.GetEnumerator();
        var right = b.GetEnumerator();
        while (true)
        {
            var more = left.MoveNext();
            if (more != right.MoveNext())
            {
                return false;
            }

            if (!more)
            {
                return true;
            }

            if (!Equals(left.Current, right.Current))
            {
                return false;
            }
        }
    }
}
