namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// A render-time failure inside an expression, before its position is known; the expression that
/// catches it turns it into a <see cref="TemplateException"/> naming file, line and column.
/// </summary>
internal sealed class TemplateEvaluationError(string message) : Exception(message);
