namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// The static type of an expression, known when the template is loaded, so unknown fields and
/// wrong arguments are load errors rather than render-time surprises.
/// </summary>
internal sealed class TemplateType
{
    private static readonly Dictionary<string, TemplateType> InstanceFields = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, TemplateType> CatalogServiceFields = new(StringComparer.Ordinal);

    private TemplateType(ValueKind kind, TemplateType? element)
    {
        Kind = kind;
        Element = element;
    }

    public static TemplateType Any { get; } = new(ValueKind.Any, null);
    public static TemplateType Nil { get; } = new(ValueKind.Nil, null);
    public static TemplateType Bool { get; } = new(ValueKind.Bool, null);
    public static TemplateType Int { get; } = new(ValueKind.Int, null);
    public static TemplateType Float { get; } = new(ValueKind.Float, null);
    public static TemplateType String { get; } = new(ValueKind.String, null);
    public static TemplateType Root { get; } = new(ValueKind.Root, null);
    public static TemplateType ServiceInstance { get; } = new(ValueKind.ServiceInstance, null);
    public static TemplateType CatalogService { get; } = new(ValueKind.CatalogService, null);
    public static TemplateType StringList { get; } = new(ValueKind.List, String);
    public static TemplateType StringMap { get; } = new(ValueKind.Map, String);
    public static TemplateType ServiceInstanceList { get; } = new(ValueKind.List, ServiceInstance);
    public static TemplateType CatalogServiceList { get; } = new(ValueKind.List, CatalogService);

    static TemplateType()
    {
        InstanceFields["Address"] = String;
        InstanceFields["Port"] = Int;
        InstanceFields["ID"] = String;
        InstanceFields["Name"] = String;
        InstanceFields["Node"] = String;
        InstanceFields["NodeAddress"] = String;
        InstanceFields["Tags"] = StringList;
        InstanceFields["ServiceMeta"] = StringMap;
        InstanceFields["Status"] = String;
        CatalogServiceFields["Name"] = String;
        CatalogServiceFields["Tags"] = StringList;
    }

    public ValueKind Kind { get; }

    /// <summary>Element type of a list, value type of a map.</summary>
    public TemplateType? Element { get; }

    public bool IsAny => Kind == ValueKind.Any;

    /// <summary>The type of <c>value.field</c>, or null with a reason when this type has no such field.</summary>
    public TemplateType? FieldType(string field, out string? error)
    {
        error = null;
        switch (Kind)
        {
            case ValueKind.Any:
                return Any;
            case ValueKind.Map:
                return Element;
            case ValueKind.ServiceInstance when InstanceFields.TryGetValue(field, out var instanceField):
                return instanceField;
            case ValueKind.ServiceInstance:
                error = $"a service instance has no field .{field} (fields: {string.Join(", ", InstanceFields.Keys.Select(name => "." + name))})";
                return null;
            case ValueKind.CatalogService when CatalogServiceFields.TryGetValue(field, out var serviceField):
                return serviceField;
            case ValueKind.CatalogService:
                error = $"a services entry has no field .{field} (fields: .Name, .Tags)";
                return null;
            case ValueKind.Root:
                error = $"can't evaluate field .{field}: the template's root data is empty; read data with functions such as service or key";
                return null;
            default:
                error = $"can't evaluate field .{field} in type {this}";
                return null;
        }
    }

    /// <summary>Whether a value of type <paramref name="actual"/> may be used where this type is expected.</summary>
    public bool Accepts(TemplateType actual) =>
        IsAny || actual.IsAny || (Kind == actual.Kind && (Element is null || actual.Element is null || Element.Accepts(actual.Element)));

    /// <summary>The widest type both may have: itself when equal, otherwise <see cref="Any"/>.</summary>
    public TemplateType Join(TemplateType other) => Accepts(other) && other.Accepts(this) && !IsAny ? this : Any;

    /// <summary>Go-like names keep messages familiar to consul-template users.</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.Any => "interface {}",
        ValueKind.Nil => "nil",
        ValueKind.Bool => "bool",
        ValueKind.Int => "int",
        ValueKind.Float => "float64",
        ValueKind.String => "string",
        ValueKind.List => $"[]{Element}",
        ValueKind.Map => $"map[string]{Element}",
        ValueKind.ServiceInstance => "*dependency.HealthService",
        ValueKind.CatalogService => "*dependency.CatalogSnippet",
        ValueKind.Root => "nil root data",
        _ => Kind.ToString(),
    };
}
