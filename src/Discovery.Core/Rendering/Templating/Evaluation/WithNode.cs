namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary><c>with</c>: runs the body with dot set to the value when it is truthy, else the else list.</summary>
internal sealed class WithNode(BoundPipeline value, TemplateNode[] body, TemplateNode[] otherwise) : TemplateNode
{
    public override Flow Execute(RenderContext context, object? dot)
    {
        var result = value.Evaluate(context, dot);
        return GoValues.IsTrue(result) ? ExecuteAll(body, context, result) : ExecuteAll(otherwise, context, dot);
    }
}
