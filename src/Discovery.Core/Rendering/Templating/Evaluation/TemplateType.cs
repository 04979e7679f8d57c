namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// The static type of an expression, known when the template is loaded, so unknown fields and
/// wrong arguments are load errors rather than render-time surprises. Values whose type is only
/// known at render time (what parseJSON returns, dot inside a {{define}}) are <see cref="Any"/>
/// and checked when used.
/// </summary>
internal sealed class TemplateType
{
    private TemplateType(ValueKind kind, TemplateType? element, StructShape? shape)
    {
        Kind = kind;
        Element = element;
        Shape = shape;
    }

    public static TemplateType Any { get; } = new(ValueKind.Any, null, null);
    public static TemplateType Nil { get; } = new(ValueKind.Nil, null, null);
    public static TemplateType Bool { get; } = new(ValueKind.Bool, null, null);
    public static TemplateType Int { get; } = new(ValueKind.Int, null, null);
    public static TemplateType Float { get; } = new(ValueKind.Float, null, null);
    public static TemplateType String { get; } = new(ValueKind.String, null, null);
    public static TemplateType Root { get; } = new(ValueKind.Root, null, null);
    public static TemplateType StringList { get; } = ListOf(String);
    public static TemplateType StringMap { get; } = MapOf(String);

    /// <summary>Go's <c>[]interface {}</c>: what containsAny and friends insist on.</summary>
    public static TemplateType AnyList { get; } = ListOf(Any);

    public static TemplateType ServiceInstance { get; } = StructOf(TemplateServiceInstance.Shape);
    public static TemplateType CatalogService { get; } = StructOf(TemplateCatalogService.Shape);
    public static TemplateType KeyPair { get; } = StructOf(TemplateKeyPair.Shape);
    public static TemplateType ConsulNode { get; } = StructOf(TemplateConsulNode.Shape);
    public static TemplateType CatalogNode { get; } = StructOf(TemplateCatalogNode.Shape);
    public static TemplateType CatalogNodeService { get; } = StructOf(TemplateCatalogNodeService.Shape);

    public ValueKind Kind { get; }

    /// <summary>Element type of a list, value type of a map.</summary>
    public TemplateType? Element { get; }

    /// <summary>The fields of a struct type.</summary>
    public StructShape? Shape { get; }

    public bool IsAny => Kind == ValueKind.Any;

    public static TemplateType ListOf(TemplateType element) => new(ValueKind.List, element, null);

    public static TemplateType MapOf(TemplateType element) => new(ValueKind.Map, element, null);

    public static TemplateType StructOf(StructShape shape) => new(ValueKind.Struct, null, shape);

    /// <summary>True when this type is, or contains, a struct that cannot be printed or marshalled exactly.</summary>
    public bool HasIncompleteStruct => Kind switch
    {
        ValueKind.Struct => !Shape!.IsComplete,
        ValueKind.List or ValueKind.Map => Element!.HasIncompleteStruct,
        _ => false,
    };

    /// <summary>True when this type contains a struct below the top level (fmt prints such structs as addresses).</summary>
    public bool HasNestedStruct => Kind is ValueKind.List or ValueKind.Map && (Element!.Kind == ValueKind.Struct || Element.HasNestedStruct);

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
            case ValueKind.Struct when Shape!.FieldType(field) is { } fieldType:
                return fieldType;
            case ValueKind.Struct:
                error = $"{Describe(Shape!)} has no field .{field} (fields: {string.Join(", ", Shape!.FieldNames.Select(name => "." + name))})";
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
        IsAny || actual.IsAny
        || (Kind == actual.Kind
            && (Kind != ValueKind.Struct || ReferenceEquals(Shape, actual.Shape))
            && (Element is null || actual.Element is null || Element.Accepts(actual.Element)));

    /// <summary>Whether this is exactly <paramref name="other"/> (no <see cref="Any"/> leniency): Go's assignability for containers.</summary>
    public bool IsSameAs(TemplateType other) =>
        Kind == other.Kind
        && ReferenceEquals(Shape, other.Shape)
        && (Element is null ? other.Element is null : other.Element is not null && Element.IsSameAs(other.Element));

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
        ValueKind.Struct => Shape!.GoTypeName,
        ValueKind.Root => "nil root data",
        _ => Kind.ToString(),
    };

    private static string Describe(StructShape shape) => shape.GoTypeName switch
    {
        "*dependency.HealthService" => "a service instance",
        "*dependency.CatalogSnippet" => "a services entry",
        _ => shape.GoTypeName,
    };
}
