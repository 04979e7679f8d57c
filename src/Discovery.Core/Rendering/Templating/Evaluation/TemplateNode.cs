namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>One executable piece of a compiled template.</summary>
internal abstract class TemplateNode
{
    public abstract Flow Execute(RenderContext context, object? dot);

    /// <summary>Runs nodes in order; a {{break}} or {{continue}} stops the list and is handed up.</summary>
    protected static Flow ExecuteAll(TemplateNode[] nodes, RenderContext context, object? dot)
    {
        foreach (var node in nodes)
        {
            var flow = node.Execute(context, dot);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }
}
