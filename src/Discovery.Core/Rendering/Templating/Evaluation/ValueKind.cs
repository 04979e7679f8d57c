namespace Discovery.Core.Rendering.Templating.Evaluation;

internal enum ValueKind
{
    /// <summary>Not known until render time (e.g. what parseJSON returns, or dot inside a define).</summary>
    Any,
    Nil,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,

    /// <summary>One of consul-template's data structs (service instance, key pair, node …); see <see cref="TemplateType.Shape"/>.</summary>
    Struct,

    /// <summary>The template's root data: nil, as in consul-template.</summary>
    Root,
}
