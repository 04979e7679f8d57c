using System.Globalization;
using Discovery.Consul.Durations;

namespace Discovery.Core.Configuration;

/// <summary>
/// Reads typed fields out of one map node, adding an error with the field's path for every missing,
/// malformed or out-of-range value, and remembering which keys were read so that
/// <see cref="ReportUnknownKeys"/> can flag the rest (a misspelt "helth" must not be silently ignored).
/// Every getter returns a usable fallback so that binding continues and all errors surface in one pass.
/// </summary>
internal sealed class ConfigMapReader
{
    private readonly ConfigNode _map;
    private readonly List<ConfigError> _errors;
    private readonly HashSet<string> _knownKeys = new(StringComparer.Ordinal);

    public ConfigMapReader(ConfigNode map, string path, List<ConfigError> errors)
    {
        _map = map;
        Path = path;
        _errors = errors;
    }

    public string Path { get; }

    public string PathOf(string key) => ConfigPath.Key(Path, key);

    public void AddError(string key, string message) => _errors.Add(new ConfigError(PathOf(key), message));

    /// <summary>Errors found so far in the whole document (a binder compares it before and after a section).</summary>
    public int ErrorCount => _errors.Count;

    /// <summary>The raw node for a key (Null when absent), marking the key as known.</summary>
    public ConfigNode Node(string key)
    {
        _knownKeys.Add(key);
        return _map.Entries.FirstOrDefault(entry => entry.Key == key).Value ?? ConfigNode.Null;
    }

    public string? OptionalString(string key)
    {
        var node = Node(key);
        switch (node.Kind)
        {
            case ConfigNodeKind.Null:
                return null;
            case ConfigNodeKind.Scalar:
                return node.Scalar;
            default:
                AddError(key, $"expected text, got {node.Describe()}");
                return null;
        }
    }

    public string RequiredString(string key)
    {
        var value = OptionalString(key);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (Node(key).Kind is ConfigNodeKind.Null or ConfigNodeKind.Scalar)
            {
                AddError(key, "required");
            }

            return "";
        }

        return value;
    }

    public long Integer(string key, long fallback, long minimum, long maximum = long.MaxValue)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return fallback;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            AddError(key, $"\"{text}\" is not a number");
            return fallback;
        }

        if (value < minimum || value > maximum)
        {
            AddError(key, maximum == long.MaxValue ? $"{value} is less than {minimum}" : $"{value} is outside {minimum}-{maximum}");
            return fallback;
        }

        return value;
    }

    /// <summary>true or false.</summary>
    public bool Boolean(string key, bool fallback)
    {
        var text = OptionalString(key);
        switch (text?.Trim())
        {
            case null:
                return fallback;
            case "true":
                return true;
            case "false":
                return false;
            default:
                AddError(key, $"\"{text}\" is not true or false");
                return fallback;
        }
    }

    /// <summary>A finite decimal number ("100", "0.25", "1e3").</summary>
    public double Number(string key, double fallback)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            AddError(key, $"\"{text}\" is not a number");
            return fallback;
        }

        return value;
    }

    /// <summary>A Go-style duration; <paramref name="mustBePositive"/> rejects "0".</summary>
    public TimeSpan Duration(string key, TimeSpan fallback, bool mustBePositive = true)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return fallback;
        }

        if (!GoDuration.TryParse(text.Trim(), out var value))
        {
            AddError(key, $"\"{text}\" is not a duration (use e.g. \"500ms\", \"10s\", \"1m30s\")");
            return fallback;
        }

        if (mustBePositive && value <= TimeSpan.Zero)
        {
            AddError(key, "must be greater than 0");
            return fallback;
        }

        return value;
    }

    /// <summary>A nested map; null (with an error) when the value is not a map, null when absent.</summary>
    public ConfigMapReader? Map(string key)
    {
        var node = Node(key);
        if (node.Kind == ConfigNodeKind.Null)
        {
            return null;
        }

        if (node.Kind != ConfigNodeKind.Map)
        {
            AddError(key, $"expected a map, got {node.Describe()}");
            return null;
        }

        return new ConfigMapReader(node, PathOf(key), _errors);
    }

    /// <summary>Items of a list with their paths; empty (with an error) when the value is not a list.</summary>
    public IReadOnlyList<(ConfigNode Node, string Path)> Sequence(string key)
    {
        var node = Node(key);
        if (node.Kind == ConfigNodeKind.Null)
        {
            return [];
        }

        if (node.Kind != ConfigNodeKind.Sequence)
        {
            AddError(key, $"expected a list, got {node.Describe()}");
            return [];
        }

        return node.Items.Select((item, index) => (item, ConfigPath.Index(PathOf(key), index))).ToList();
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var result = new List<string>();
        foreach (var (item, path) in Sequence(key))
        {
            if (item.Kind == ConfigNodeKind.Scalar)
            {
                result.Add(item.Scalar!);
            }
            else
            {
                _errors.Add(new ConfigError(path, $"expected text, got {item.Describe()}"));
            }
        }

        return result;
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var map = Map(key);
        if (map is null)
        {
            return result;
        }

        foreach (var (name, value) in map._map.Entries)
        {
            map._knownKeys.Add(name);
            if (value.Kind == ConfigNodeKind.Scalar)
            {
                result[name] = value.Scalar!;
            }
            else
            {
                _errors.Add(new ConfigError(map.PathOf(name), $"expected text, got {value.Describe()}"));
            }
        }

        return result;
    }

    /// <summary>Adds "unknown key" for every key no getter asked for; call after reading all fields.</summary>
    public void ReportUnknownKeys()
    {
        foreach (var (key, _) in _map.Entries)
        {
            if (!_knownKeys.Contains(key))
            {
                // The closest known key: a case slip ("Min") before a typo ("maxx"), then by edit distance.
                var suggestion = _knownKeys
                    .Where(known => IsNearMiss(key, known))
                    .OrderBy(known => string.Equals(key, known, StringComparison.OrdinalIgnoreCase) ? -1 : EditDistance(key.ToLowerInvariant(), known.ToLowerInvariant()))
                    .ThenBy(known => known, StringComparer.Ordinal)
                    .FirstOrDefault();
                AddError(key, suggestion is null ? "unknown key" : $"unknown key (did you mean \"{suggestion}\"?)");
            }
        }
    }

    private static bool IsNearMiss(string typed, string known) =>
        string.Equals(typed, known, StringComparison.OrdinalIgnoreCase) || EditDistance(typed.ToLowerInvariant(), known.ToLowerInvariant()) <= 2;

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
