namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary><c>if</c>/<c>else if</c>/<c>else</c>: an <c>else if</c> is an if node inside the else list.</summary>
internal sealed class IfNode(BoundPipeline condition, TemplateNode[] then, TemplateNode[] otherwise) : TemplateNode
{
    public override Flow Execute(RenderContext context, object? dot) =>
        ExecuteAll(GoValues.IsTrue(condition.Evaluate(context, dot)) ? then : otherwise, context, dot);
}
