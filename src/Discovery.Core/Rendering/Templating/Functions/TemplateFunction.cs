using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>Checks argument types when the template is loaded; returns the result type, or null with a reason.</summary>
internal delegate TemplateType? TypeRule(TemplateType[] arguments, out string? error);

/// <summary>Evaluates a call at render time.</summary>
internal delegate object? FunctionBody(RenderContext context, FunctionArguments arguments);

/// <summary>
/// Checks the arguments written as literals when the template is loaded (e.g. that
/// <c>service "web|pasing"</c> is a valid query, or a regexp compiles) and returns an error message
/// or null. Arguments that are not literals (variables, piped values) are <see cref="TemplateFunction.NotConstant"/>.
/// </summary>
internal delegate string? ConstantRule(object?[] arguments);

/// <summary>A function of the subset: name, argument count, load-time type rule, body.</summary>
internal sealed record TemplateFunction(
    string Name,
    int MinArguments,
    int MaxArguments,
    TypeRule CheckTypes,
    FunctionBody Body,
    ConstantRule? ValidateConstants = null)
{
    /// <summary>Stands for an argument whose value is only known at render time.</summary>
    public static readonly object NotConstant = new();
}
