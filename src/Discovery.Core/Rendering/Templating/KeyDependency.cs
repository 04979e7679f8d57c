namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// <c>key</c>, <c>keyOrDefault</c>, <c>keyExists</c>: <c>/v1/kv/&lt;path&gt;</c> (path without a
/// leading slash). Value: the value as a string, or null when the key does not exist.
/// </summary>
internal sealed record KeyDependency(string Path) : TemplateDependency
{
    public override string ToString() => $"kv.get({Path})";
}
