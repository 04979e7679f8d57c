namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// <c>range [$i,] [$e :=] pipeline</c>: lists in order, maps in sorted key order (as Go), nil and
/// empty collections run the else list. {{break}} ends the loop, {{continue}} the iteration.
/// </summary>
internal sealed class RangeNode(Expression collection, int? keySlot, int? elementSlot, TemplateNode[] body, TemplateNode[] otherwise)
    : TemplateNode
{
    public override Flow Execute(RenderContext context, object? dot)
    {
        var value = collection.Evaluate(context, dot);
        switch (value)
        {
            case IReadOnlyList<object?> list when list.Count > 0:
                for (var i = 0; i < list.Count; i++)
                {
                    if (Iterate(context, (long)i, list[i]) == Flow.Break)
                    {
                        break;
                    }
                }

                return Flow.Normal;
            case not null when GoMaps.IsMap(value) && GoMaps.Count(value) > 0:
                foreach (var (key, element) in GoMaps.SortedEntries(value))
                {
                    if (Iterate(context, key, element) == Flow.Break)
                    {
                        break;
                    }
                }

                return Flow.Normal;
            case null or IReadOnlyList<object?>:
            case not null when GoMaps.IsMap(value):
                return ExecuteAll(otherwise, context, dot);
            default:
                throw new TemplateException(context.FileName, collection.Line, collection.Column,
                    $"range can't iterate over {GoValues.TypeName(value)}");
        }
    }

    private Flow Iterate(RenderContext context, object key, object? element)
    {
        if (keySlot is { } k)
        {
            context.Variables[k] = key;
        }

        if (elementSlot is { } e)
        {
            context.Variables[e] = element;
        }

        return ExecuteAll(body, context, element);
    }
}
