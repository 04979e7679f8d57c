namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// <c>target.Field</c>. Fields of instances and catalog entries were checked at load time; a map
/// key that is absent reads as "" (consul-template runs Go templates with missingkey=zero).
/// </summary>
internal sealed class FieldExpression(int line, int column, TemplateType type, Expression target, string field)
    : Expression(line, column, type)
{
    public override object? Evaluate(RenderContext context, object? dot)
    {
        var value = target.Evaluate(context, dot);
        switch (value)
        {
            case TemplateServiceInstance instance:
                return field switch
                {
                    "Address" => instance.Address,
                    "Port" => (long)instance.Port,
                    "ID" => instance.ID,
                    "Name" => instance.Name,
                    "Node" => instance.Node,
                    "NodeAddress" => instance.NodeAddress,
                    "Tags" => instance.Tags,
                    "ServiceMeta" => instance.ServiceMeta,
                    "Status" => instance.Status,
                    _ => throw Fail(context, $"a service instance has no field .{field}"),
                };
            case TemplateCatalogService service:
                return field switch
                {
                    "Name" => service.Name,
                    "Tags" => service.Tags,
                    _ => throw Fail(context, $"a services entry has no field .{field}"),
                };
            case IReadOnlyDictionary<string, string> map:
                return map.TryGetValue(field, out var entry) ? entry : "";
            default:
                throw Fail(context, $"can't evaluate field .{field} in type {GoValues.TypeName(value)}");
        }
    }
}
