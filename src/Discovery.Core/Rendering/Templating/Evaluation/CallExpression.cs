using Discovery.Core.Rendering.Templating.Functions;

namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>A function call; arguments are evaluated by the function so and/or can short-circuit.</summary>
internal sealed class CallExpression(int line, int column, TemplateType type, TemplateFunction function, Expression[] arguments)
    : Expression(line, column, type)
{
    public override object? Evaluate(RenderContext context, object? dot) => Invoke(context, dot, null, hasPiped: false);

    public object? Invoke(RenderContext context, object? dot, object? piped, bool hasPiped)
    {
        try
        {
            return function.Body(context, new FunctionArguments(context, dot, arguments, piped, hasPiped));
        }
        catch (TemplateEvaluationError error)
        {
            throw Fail(context, $"error calling {function.Name}: {error.Message}");
        }
    }
}
