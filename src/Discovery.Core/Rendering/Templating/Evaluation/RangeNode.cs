namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// <c>range [$i,] [$e :=] pipeline</c>: lists in order, maps in sorted key order (as Go), nil and
/// empty collections run the else list.
/// </summary>
internal sealed class RangeNode(Expression collection, int? keySlot, int? elementSlot, TemplateNode[] body, TemplateNode[] otherwise)
    : TemplateNode
{
    public override void Execute(RenderContext context, object? dot)
    {
        var value = collection.Evaluate(context, dot);
        switch (value)
        {
            case IReadOnlyList<object?> list when list.Count > 0:
                for (var i = 0; i < list.Count; i++)
                {
                    Iterate(context, (long)i, list[i]);
                }

                return;
            case IReadOnlyDictionary<string, string> map when map.Count > 0:
                foreach (var key in GoValues.SortedKeys(map))
                {
                    Iterate(context, key, map[key]);
                }

                return;
            case null or IReadOnlyList<object?> or IReadOnlyDictionary<string, string>:
                ExecuteAll(otherwise, context, dot);
                return;
            default:
                throw new TemplateException(context.FileName, collection.Line, collection.Column,
                    $"range can't iterate over {GoValues.TypeName(value)}");
        }
    }

    private void Iterate(RenderContext context, object key, object? element)
    {
        if (keySlot is { } k)
        {
            context.Variables[k] = key;
        }

        if (elementSlot is { } e)
        {
            context.Variables[e] = element;
        }

        ExecuteAll(body, context, element);
    }
}
