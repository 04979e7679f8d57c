namespace Discovery.Core.Rendering.Templating.Evaluation;

internal sealed class TextNode(string text) : TemplateNode
{
    public string Text { get; } = text;

    public override Flow Execute(RenderContext context, object? dot)
    {
        context.Output.Append(Text);
        return Flow.Normal;
    }
}
