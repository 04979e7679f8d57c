namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary><c>{{ pipeline }}</c> without a declaration: prints the value.</summary>
internal sealed class OutputNode(Expression expression) : TemplateNode
{
    public override Flow Execute(RenderContext context, object? dot)
    {
        var value = expression.Evaluate(context, dot);
        try
        {
            GoValues.Print(context.Output, value);
        }
        catch (TemplateEvaluationError error)
        {
            throw new TemplateException(context.FileName, expression.Line, expression.Column, error.Message);
        }

        return Flow.Normal;
    }
}
