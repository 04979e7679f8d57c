namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// Something a render read from Consul. The renderer watches each with a blocking query and
/// renders again when one changes. Records, so equal dependencies compare equal.
/// </summary>
internal abstract record TemplateDependency;
