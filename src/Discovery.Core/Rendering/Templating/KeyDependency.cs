namespace Discovery.Core.Rendering.Templating;

/// <summary><c>key</c> / <c>keyOrDefault</c>: <c>/v1/kv/&lt;path&gt;</c> (path without a leading slash).</summary>
internal sealed record KeyDependency(string Path) : TemplateDependency
{
    public override string ToString() => $"kv.get({Path})";
}
