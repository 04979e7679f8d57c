namespace Discovery.Core.Configuration;

/// <summary>
/// A format-neutral parse tree. JSON and YAML are both read into this first so that one binder
/// validates both, with identical paths, unknown-key checks and messages.
/// </summary>
internal sealed class ConfigNode
{
    private ConfigNode(ConfigNodeKind kind, string? scalar, IReadOnlyList<KeyValuePair<string, ConfigNode>>? entries, IReadOnlyList<ConfigNode>? items)
    {
        Kind = kind;
        Scalar = scalar;
        Entries = entries ?? [];
        Items = items ?? [];
    }

    public static ConfigNode Null { get; } = new(ConfigNodeKind.Null, null, null, null);

    public ConfigNodeKind Kind { get; }

    /// <summary>The scalar's text (numbers and booleans as written); null unless Kind is Scalar.</summary>
    public string? Scalar { get; }

    /// <summary>Map entries in file order (duplicates are rejected while reading).</summary>
    public IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries { get; }

    public IReadOnlyList<ConfigNode> Items { get; }

    public static ConfigNode FromScalar(string text) => new(ConfigNodeKind.Scalar, text, null, null);

    public static ConfigNode FromMap(IReadOnlyList<KeyValuePair<string, ConfigNode>> entries) => new(ConfigNodeKind.Map, null, entries, null);

    public static ConfigNode FromSequence(IReadOnlyList<ConfigNode> items) => new(ConfigNodeKind.Sequence, null, null, items);

    /// <summary>How the node is described in "expected X, got Y" messages.</summary>
    public string Describe() => Kind switch
    {
        ConfigNodeKind.Null => "null",
        ConfigNodeKind.Map => "a map",
        ConfigNodeKind.Sequence => "a list",
        _ => $"\"{Scalar}\"",
    };
}
