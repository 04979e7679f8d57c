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
        var other => throw WrongType("string", other),
    };

    public bool GetBool(int index) => Get(index) switch
    {
        bool b => b,
        var other => throw WrongType("bool", other),
    };

    /// <summary>Every argument from <paramref name="first"/> on, as strings (for variadic ...string functions).</summary>
    public string[] GetStrings(int first = 0)
    {
        var values = new string[Math.Max(0, Count - first)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = GetString(first + i);
        }

        return values;
    }

    /// <summary>Go's message when a value does not fit a function's parameter type.</summary>
    public static TemplateEvaluationError WrongType(string expected, object? actual) =>
        new($"wrong type for value; expected {expected}; got {GoValues.TypeName(actual)}");
}
