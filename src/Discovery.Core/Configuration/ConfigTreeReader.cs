using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Discovery.Core.Configuration;

/// <summary>Reads JSON or YAML text into a <see cref="ConfigNode"/> tree, reporting syntax errors and duplicate keys.</summary>
internal static class ConfigTreeReader
{
    /// <param name="rootPath">Path of the document's root in errors ("" for a file, "policy" for a KV value).</param>
    public static ConfigNode? ReadJson(string text, List<ConfigError> errors, string rootPath = "")
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return FromJson(document.RootElement, rootPath, errors);
        }
        catch (JsonException exception)
        {
            errors.Add(new ConfigError(rootPath, $"not valid JSON: {exception.Message}"));
            return null;
        }
    }

    public static ConfigNode? ReadYaml(string text, List<ConfigError> errors)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? ConfigNode.Null : FromYaml(stream.Documents[0].RootNode, "", errors);
        }
        catch (Exception exception) when (exception is YamlException or ArgumentException)
        {
            // YamlDotNet reports duplicate keys and syntax errors as exceptions with line/column in the message.
            errors.Add(new ConfigError("", $"not valid YAML: {exception.Message}"));
            return null;
        }
    }

    private static ConfigNode FromJson(JsonElement element, string path, List<ConfigError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = ConfigPath.Key(path, property.Name);
                    if (entries.Any(entry => entry.Key == property.Name))
                    {
                        errors.Add(new ConfigError(childPath, "duplicate key"));
                        continue;
                    }

                    entries.Add(new(property.Name, FromJson(property.Value, childPath, errors)));
                }

                return ConfigNode.FromMap(entries);
            case JsonValueKind.Array:
                return ConfigNode.FromSequence(element.EnumerateArray()
                    .Select((item, index) => FromJson(item, ConfigPath.Index(path, index), errors))
                    .ToList());
            case JsonValueKind.String:
                return ConfigNode.FromScalar(element.GetString()!);
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return ConfigNode.Null;
            default:
                // Numbers and booleans keep their literal text; the binder parses them like YAML scalars.
                return ConfigNode.FromScalar(element.GetRawText());
        }
    }

    private static ConfigNode FromYaml(YamlNode node, string path, List<ConfigError> errors)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        errors.Add(new ConfigError(path, $"map keys must be plain text (line {keyNode.Start.Line})"));
                        continue;
                    }

                    entries.Add(new(key, FromYaml(valueNode, ConfigPath.Key(path, key), errors)));
                }

                return ConfigNode.FromMap(entries);
            case YamlSequenceNode sequence:
                return ConfigNode.FromSequence(sequence.Children
                    .Select((item, index) => FromYaml(item, ConfigPath.Index(path, index), errors))
                    .ToList());
            case YamlScalarNode scalar:
                var isPlain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
                return isPlain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL"
                    ? ConfigNode.Null
                    : ConfigNode.FromScalar(scalar.Value ?? "");
            default:
                errors.Add(new ConfigError(path, "unsupported YAML node"));
                return ConfigNode.Null;
        }
    }
}
