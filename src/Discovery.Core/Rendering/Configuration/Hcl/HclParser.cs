using Discovery.Core.Configuration;

namespace Discovery.Core.Rendering.Configuration.Hcl;

/// <summary>
/// Parses the HCL 1 that consul-template configs are written in: attributes (<c>key = value</c>),
/// blocks (<c>key { … }</c>), objects, lists (elements separated by commas, a trailing one
/// allowed), strings, numbers and booleans. Block labels (<c>key "label" { }</c>) are rejected: no
/// consul-template option uses them.
/// </summary>
internal sealed class HclParser
{
    private readonly List<HclToken> _tokens;
    private readonly HashSet<ConfigNode> _numbers = new(ReferenceEqualityComparer.Instance);
    private int _index;

    private HclParser(List<HclToken> tokens) => _tokens = tokens;

    /// <exception cref="HclSyntaxException">With line and column of the first problem.</exception>
    public static HclDocument Parse(string text)
    {
        var parser = new HclParser(HclLexer.Tokenize(text));
        var root = parser.ParseBody(HclTokenKind.EndOfFile);
        return new HclDocument(root, parser._numbers);
    }

    private HclToken Peek => _tokens[_index];

    private HclToken Next() => _tokens[_index++];

    /// <summary>Items up to <paramref name="end"/> (not consumed); repeated keys are gathered into a list.</summary>
    private ConfigNode ParseBody(HclTokenKind end)
    {
        var order = new List<string>();
        var values = new Dictionary<string, List<ConfigNode>>(StringComparer.Ordinal);
        while (true)
        {
            SkipSeparators();
            if (Peek.Kind == end)
            {
                break;
            }

            if (Peek.Kind == HclTokenKind.EndOfFile)
            {
                throw Error(Peek, "missing \"}\"");
            }

            var key = Next();
            if (key.Kind is not HclTokenKind.Identifier and not HclTokenKind.String)
            {
                throw Error(key, $"expected a key, found {key.Describe()}");
            }

            ConfigNode value;
            if (Peek.Kind == HclTokenKind.Equals)
            {
                Next();
                value = ParseValue();
            }
            else if (Peek.Kind == HclTokenKind.LeftBrace)
            {
                value = ParseObject();
            }
            else if (Peek.Kind is HclTokenKind.String or HclTokenKind.Identifier)
            {
                throw Error(Peek, $"block labels are not supported (\"{key.Value}\" {Peek.Describe()}): consul-template's options have none");
            }
            else
            {
                throw Error(Peek, $"expected \"=\" or \"{{\" after \"{key.Value}\", found {Peek.Describe()}");
            }

            if (!values.TryGetValue(key.Value, out var list))
            {
                values[key.Value] = list = [];
                order.Add(key.Value);
            }

            // HCL 1 separates items by new lines or commas, but needs neither: "{ a = 1 b = 2 }" is fine.
            list.Add(value);
        }

        return ConfigNode.FromMap([.. order.Select(key => new KeyValuePair<string, ConfigNode>(
            key, values[key].Count == 1 ? values[key][0] : ConfigNode.FromSequence(values[key])))]);
    }

    private ConfigNode ParseObject()
    {
        Next(); // {
        var body = ParseBody(HclTokenKind.RightBrace);
        Next(); // }
        return body;
    }

    private ConfigNode ParseValue()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case HclTokenKind.String or HclTokenKind.Bool:
                Next();
                return ConfigNode.FromScalar(token.Value);
            case HclTokenKind.Number:
                Next();
                var number = ConfigNode.FromScalar(token.Value);
                _numbers.Add(number);
                return number;
            case HclTokenKind.LeftBrace:
                return ParseObject();
            case HclTokenKind.LeftBracket:
                return ParseList();
            default:
                throw Error(token, $"expected a value, found {token.Describe()}");
        }
    }

    private ConfigNode ParseList()
    {
        Next(); // [
        var items = new List<ConfigNode>();
        while (true)
        {
            SkipNewLines();
            if (Peek.Kind == HclTokenKind.RightBracket)
            {
                Next();
                return ConfigNode.FromSequence(items);
            }

            if (Peek.Kind == HclTokenKind.EndOfFile)
            {
                throw Error(Peek, "missing \"]\"");
            }

            items.Add(ParseValue());
            SkipNewLines();
            if (Peek.Kind == HclTokenKind.Comma)
            {
                Next();
            }
            else if (Peek.Kind != HclTokenKind.RightBracket)
            {
                throw Error(Peek, $"expected \",\" or \"]\" in a list, found {Peek.Describe()}");
            }
        }
    }

    private void SkipNewLines()
    {
        while (Peek.Kind == HclTokenKind.NewLine)
        {
            Next();
        }
    }

    private void SkipSeparators()
    {
        while (Peek.Kind is HclTokenKind.NewLine or HclTokenKind.Comma)
        {
            Next();
        }
    }

    private static HclSyntaxException Error(HclToken token, string reason) => new(token.Line, token.Column, reason);
}
