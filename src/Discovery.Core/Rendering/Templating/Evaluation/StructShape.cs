namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// The fields of one of consul-template's data structs, in Go's declaration order, with their
/// static types and how to read them from our record. Field names are checked against it when a
/// template is loaded.
/// </summary>
/// <param name="GoTypeName">The Go type as consul-template users see it in messages, e.g. <c>*dependency.KeyPair</c>.</param>
/// <param name="IsComplete">
/// True when the record carries every field of the Go struct, so fmt's <c>&amp;{…}</c> and
/// json.Marshal can be reproduced exactly; false (e.g. a service instance has no Checks here) means
/// printing or toJSON of the whole struct is refused rather than approximated.
/// </param>
internal sealed class StructShape(string goTypeName, bool isComplete)
{
    private readonly List<(string Name, Func<TemplateType> Type, Func<object, object?> Read)> _fields = [];
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    public string GoTypeName { get; } = goTypeName;

    public bool IsComplete { get; } = isComplete;

    public IEnumerable<string> FieldNames => _fields.Select(entry => entry.Name);

    /// <summary>Adds a field; the type is a factory so shapes may refer to each other.</summary>
    public StructShape Field<T>(string name, Func<TemplateType> type, Func<T, object?> read)
    {
        _byName[name] = _fields.Count;
        _fields.Add((name, type, value => read((T)value)));
        return this;
    }

    public TemplateType? FieldType(string name) => _byName.TryGetValue(name, out var index) ? _fields[index].Type() : null;

    /// <summary>How to read field <paramref name="name"/> from a record of this shape; null when there is no such field.</summary>
    public Func<object, object?>? Reader(string name) => _byName.TryGetValue(name, out var index) ? _fields[index].Read : null;

    public bool TryRead(object record, string name, out object? value)
    {
        if (Reader(name) is { } read)
        {
            value = read(record);
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Every field's name and value, in declaration order (for printing and JSON).</summary>
    public IEnumerable<(string Name, object? Value)> Values(object record) =>
        _fields.Select(field => (field.Name, field.Read(record)));
}
