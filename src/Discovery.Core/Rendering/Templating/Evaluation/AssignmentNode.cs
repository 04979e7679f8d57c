namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary><c>{{ $x := pipeline }}</c> or <c>{{ $x = pipeline }}</c>: stores, prints nothing.</summary>
internal sealed class AssignmentNode(BoundPipeline pipeline) : TemplateNode
{
    public override Flow Execute(RenderContext context, object? dot)
    {
        pipeline.Evaluate(context, dot);
        return Flow.Normal;
    }
}
