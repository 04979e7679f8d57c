namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// <c>target.Field</c>. Fields of typed structs were checked at load time; untyped values (from
/// parseJSON, or dot inside a define) are checked here. A map key that is absent reads as the
/// map's zero value, as consul-template runs Go templates with missingkey=zero.
/// </summary>
internal sealed class FieldExpression(int line, int column, TemplateType type, Expression target, string field)
    : Expression(line, column, type)
{
    // Resolved once when the target's type is known: rendering thousands of instances reads fields a lot.
    private readonly StructShape? _shape = target.Type.Shape;
    private readonly Func<object, object?>? _reader = target.Type.Shape?.Reader(field);

    public override object? Evaluate(RenderContext context, object? dot)
    {
        var value = target.Evaluate(context, dot);
        if (_reader is not null && value is ITemplateStruct known && ReferenceEquals(known.Shape, _shape))
        {
            return _reader(value);
        }

        if (value is ITemplateStruct structure)
        {
            return structure.Shape.TryRead(structure, field, out var fieldValue)
                ? fieldValue
                : throw Fail(context, $"can't evaluate field {field} in type {structure.Shape.GoTypeName}");
        }

        if (GoMaps.TryIndex(value, field, out var entry))
        {
            return entry;
        }

        throw Fail(context, value is null
            ? $"nil pointer evaluating {GoValues.TypeName(value)}.{field}"
            : $"can't evaluate field {field} in type {GoValues.TypeName(value)}");
    }
}
