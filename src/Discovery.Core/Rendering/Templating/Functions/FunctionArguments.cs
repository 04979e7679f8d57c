using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>
/// A call's arguments, evaluated on demand (each at most once by the function). The piped value
/// of a pipeline stage is the last argument.
/// </summary>
internal readonly struct FunctionArguments(RenderContext context, object? dot, Expression[] expressions, object? piped, bool hasPiped)
{
    public int Count => expressions.Length + (hasPiped ? 1 : 0);

    public object? Get(int index) => index < expressions.Length ? expressions[index].Evaluate(context, dot) : piped;

    public string GetString(int index) => Get(index) switch
    {
        string s => s,
        var other => throw new TemplateEvaluationError($"wrong type for value; expected string; got {GoValues.TypeName(other)}"),
    };
}
