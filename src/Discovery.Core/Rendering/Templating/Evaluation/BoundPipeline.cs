namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>A pipeline and the variable slot its value is stored in (<c>$x := …</c> / <c>$x = …</c>), if any.</summary>
internal sealed class BoundPipeline(Expression expression, int? slot)
{
    public Expression Expression { get; } = expression;

    public object? Evaluate(RenderContext context, object? dot)
    {
        var value = Expression.Evaluate(context, dot);
        if (slot is { } index)
        {
            context.Variables[index] = value;
        }

        return value;
    }
}
