namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>One executable piece of a compiled template.</summary>
internal abstract class TemplateNode
{
    public abstract void Execute(RenderContext context, object? dot);

    protected static void ExecuteAll(TemplateNode[] nodes, RenderContext context, object? dot)
    {
        foreach (var node in nodes)
        {
            node.Execute(context, dot);
        }
    }
}
