namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// Something a render read from Consul. The renderer watches each with a blocking query and
/// renders again when one changes. Records, so equal dependencies compare equal and are watched
/// once. <see cref="ToString"/> names the dependency the way consul-template's logs do.
/// </summary>
internal abstract record TemplateDependency
{
    /// <summary>
    /// Whether an empty answer is a plausible artefact of a Consul restart or leader election
    /// (a list that was full a moment ago) and must be confirmed before it is rendered.
    /// </summary>
    public virtual bool GuardsEmptyAnswers => false;
}
