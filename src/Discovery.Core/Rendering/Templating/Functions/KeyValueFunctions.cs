using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>
/// consul-template's KV functions: key, keyOrDefault, keyExists, ls, tree. A leading slash is
/// ignored; "path@dc" (another datacenter) is not supported.
/// </summary>
internal static class KeyValueFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        yield return new TemplateFunction("key", 1, 1, TypeRules.Strings(TemplateType.String), Key, RejectDatacenter);
        yield return new TemplateFunction("keyOrDefault", 2, 2, TypeRules.Strings(TemplateType.String), KeyOrDefault, RejectDatacenter);
        yield return new TemplateFunction("keyExists", 1, 1, TypeRules.Strings(TemplateType.Bool), KeyExists, RejectDatacenter);
        yield return new TemplateFunction("ls", 1, 1, TypeRules.Strings(TemplateType.ListOf(TemplateType.KeyPair)), (c, a) => List(c, a, topLevelOnly: true), RejectDatacenter);
        yield return new TemplateFunction("tree", 1, 1, TypeRules.Strings(TemplateType.ListOf(TemplateType.KeyPair)), (c, a) => List(c, a, topLevelOnly: false), RejectDatacenter);
    }

    /// <summary>Like consul-template, <c>key</c> waits for the key to exist: an absent key leaves the render incomplete.</summary>
    private static object? Key(RenderContext context, FunctionArguments arguments)
    {
        var path = Path(arguments.GetString(0));
        if (path.Length == 0)
        {
            return "";
        }

        var value = ReadKey(context, path, out var loaded);
        if (loaded && value is null)
        {
            context.MarkMissing(new KeyDependency(path));
        }

        return value ?? "";
    }

    /// <summary>An absent or empty key gives the default (consul-template treats both alike).</summary>
    private static object? KeyOrDefault(RenderContext context, FunctionArguments arguments)
    {
        var path = Path(arguments.GetString(0));
        var fallback = arguments.GetString(1);
        if (path.Length == 0)
        {
            return fallback;
        }

        var value = ReadKey(context, path, out _);
        return string.IsNullOrEmpty(value) ? fallback : value;
    }

    /// <summary>True when the key exists, even with an empty value; never blocks on an absent key.</summary>
    private static object? KeyExists(RenderContext context, FunctionArguments arguments)
    {
        var path = Path(arguments.GetString(0));
        return path.Length > 0 && ReadKey(context, path, out _) is not null;
    }

    private static string? ReadKey(RenderContext context, string path, out bool loaded)
    {
        loaded = context.TryRead<string?>(new KeyDependency(path), "", raw => (string?)raw, out var value);
        return loaded ? value : null;
    }

    /// <summary>
    /// kv.list(prefix) with keys relative to the prefix, sorted: <c>ls</c> keeps top-level keys only,
    /// <c>tree</c> every key except folders (keys ending in "/").
    /// </summary>
    private static object? List(RenderContext context, FunctionArguments arguments, bool topLevelOnly)
    {
        var prefix = Path(arguments.GetString(0));
        if (prefix.Length == 0)
        {
            return Array.Empty<TemplateKeyPair>();
        }

        return context.Read<IReadOnlyList<TemplateKeyPair>>(new KeyListDependency(prefix), topLevelOnly ? "ls" : "tree", raw =>
        {
            var pairs = new List<TemplateKeyPair>();
            foreach (var pair in ((IReadOnlyList<TemplateKeyPair>)raw!).OrderBy(pair => pair.Path, StringComparer.Ordinal))
            {
                var key = (pair.Path.StartsWith(prefix, StringComparison.Ordinal) ? pair.Path[prefix.Length..] : pair.Path).TrimStart('/');
                var keep = topLevelOnly ? key.Length > 0 && !key.Contains('/', StringComparison.Ordinal) : !key.EndsWith('/') && key.Length > 0;
                if (keep)
                {
                    pairs.Add(pair with { Key = key });
                }
            }

            return pairs;
        }, []);
    }

    private static string Path(string path)
    {
        if (path.Contains('@', StringComparison.Ordinal))
        {
            throw new TemplateEvaluationError($"\"{path}\": datacenter (@) queries are not supported");
        }

        return path.TrimStart('/');
    }

    private static string? RejectDatacenter(object?[] constants) =>
        constants.Length > 0 && constants[0] is string path && path.Contains('@', StringComparison.Ordinal)
            ? $"\"{path}\": datacenter (@) queries are not supported"
            : null;
}
