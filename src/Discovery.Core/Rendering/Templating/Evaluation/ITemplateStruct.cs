namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>A runtime value that stands for one of consul-template's data structs.</summary>
internal interface ITemplateStruct
{
    StructShape Shape { get; }
}
