namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>A typed, executable expression; its position names it in render-time errors.</summary>
internal abstract class Expression(int line, int column, TemplateType type)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public TemplateType Type { get; } = type;

    public abstract object? Evaluate(RenderContext context, object? dot);

    protected TemplateException Fail(RenderContext context, string reason) => new(context.FileName, Line, Column, reason);
}
