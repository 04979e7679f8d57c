namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// <c>ls</c> and <c>tree</c>: <c>/v1/kv/&lt;prefix&gt;?recurse</c> (prefix without a leading slash;
/// a plain string prefix, as in Consul). Value: an <see cref="IReadOnlyList{T}"/> of
/// <see cref="TemplateKeyPair"/> with full paths; the engine derives the relative keys.
/// </summary>
internal sealed record KeyListDependency(string Prefix) : TemplateDependency
{
    public override string ToString() => $"kv.list({Prefix})";
}
