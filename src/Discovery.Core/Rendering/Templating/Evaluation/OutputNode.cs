namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary><c>{{ pipeline }}</c> without a declaration: prints the value.</summary>
internal sealed class OutputNode(Expression expression) : TemplateNode
{
    public override void Execute(RenderContext context, object? dot) =>
        GoValues.Print(context.Output, expression.Evaluate(context, dot));
}
