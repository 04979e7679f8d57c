namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>Every function of the subset, by name. Anything else is a load error.</summary>
internal static class TemplateFunctions
{
    private static readonly Dictionary<string, TemplateFunction> ByName = CatalogFunctions.All()
        .Concat(KeyValueFunctions.All())
        .Concat(GoBuiltinFunctions.All())
        .Concat(CollectionFunctions.All())
        .Concat(StringFunctions.All())
        .Concat(RegexFunctions.All())
        .Concat(JsonFunctions.All())
        .Concat(EnvironmentFunctions.All())
        .ToDictionary(function => function.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out TemplateFunction function) => ByName.TryGetValue(name, out function!);

    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);
}
