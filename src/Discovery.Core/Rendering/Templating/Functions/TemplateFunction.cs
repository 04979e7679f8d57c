using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>Checks argument types when the template is loaded; returns the result type, or null with a reason.</summary>
internal delegate TemplateType? TypeRule(TemplateType[] arguments, out string? error);

/// <summary>Evaluates a call at render time.</summary>
internal delegate object? FunctionBody(RenderContext context, FunctionArguments arguments);

/// <summary>
/// A function the subset supports.
/// <paramref name="ValidateConstants"/>, when set, checks literal arguments at load time (e.g. that
/// <c>service "web|pasing"</c> is a valid query) and returns an error message or null.
/// </summary>
internal sealed record TemplateFunction(
    string Name,
    int MinArguments,
    int MaxArguments,
    TypeRule CheckTypes,
    FunctionBody Body,
    Func<object?[], string?>? ValidateConstants = null);
