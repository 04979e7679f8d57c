namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// Something a render read from Consul. The renderer watches each with a blocking query and
/// renders again when one changes. Records, so equal dependencies compare equal and are watched
/// once. Each names itself the way consul-template's logs do (e.g. <c>kv.get(app/config)</c>).
/// </summary>
internal abstract record TemplateDependency;
