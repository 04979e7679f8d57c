namespace Discovery.Core.Rendering.Templating.Evaluation;

internal enum ValueKind
{
    /// <summary>Not known until render time (e.g. the result of <c>index</c> on an unknown value).</summary>
    Any,
    Nil,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,
    ServiceInstance,
    CatalogService,

    /// <summary>The template's root data: nil, as in consul-template.</summary>
    Root,
}
