namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// <c>{{template "name" [pipeline]}}</c>: runs a defined template with dot (and <c>$</c>) set to the
/// pipeline's value, or nil, in a fresh variable scope. Output goes straight to the render's output.
/// </summary>
internal sealed class TemplateCallNode(int line, int column, DefinedTemplate target, Expression? argument) : TemplateNode
{
    /// <summary>Go allows 100,000 nested calls; a .NET stack does not, and no real template needs more than a few.</summary>
    public const int MaxDepth = 1000;

    public override Flow Execute(RenderContext context, object? dot)
    {
        var data = argument?.Evaluate(context, dot);
        if (context.Depth >= MaxDepth)
        {
            throw new TemplateException(context.FileName, line, column, $"exceeded maximum template depth ({MaxDepth}) calling \"{target.Name}\"");
        }

        var (outerVariables, outerRoot) = (context.Variables, context.Root);
        context.Variables = new object?[target.VariableCount];
        context.Root = data;
        context.Depth++;
        try
        {
            ExecuteAll(target.Nodes, context, data);
        }
        finally
        {
            context.Depth--;
            (context.Variables, context.Root) = (outerVariables, outerRoot);
        }

        return Flow.Normal;
    }
}
