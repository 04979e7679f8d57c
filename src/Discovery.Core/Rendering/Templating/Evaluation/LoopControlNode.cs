namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary><c>{{break}}</c> or <c>{{continue}}</c>; the parser only accepts them inside a range.</summary>
internal sealed class LoopControlNode(Flow flow) : TemplateNode
{
    public override Flow Execute(RenderContext context, object? dot) => flow;
}
