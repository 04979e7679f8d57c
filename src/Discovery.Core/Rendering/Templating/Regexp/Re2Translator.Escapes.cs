using System.Globalization;
using System.Text;

namespace Discovery.Core.Rendering.Templating.Regexp;

/// <summary>Backslash escapes of <see cref="Re2Translator"/>: assertions, Perl and Unicode sets, \Q…\E, single characters.</summary>
internal sealed partial class Re2Translator
{
    private const string AsciiSpace = @"\t\n\f\r ";

    // Unicode general categories: the same in Go and .NET. Go also knows scripts (\p{Greek}),
    // which .NET does not (its \p{IsGreek} is a block, a different set).
    private static readonly HashSet<string> Categories = new(StringComparer.Ordinal)
    {
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
    };

    private int? _atomStart;

    /// <summary>A backslash sequence outside a class; false when it produced nothing to repeat.</summary>
    private bool ParseEscape()
    {
        var start = _position;
        _position++;
        if (AtEnd)
        {
            throw Error("trailing backslash at end of expression", "");
        }

        var c = Current;
        switch (c)
        {
            case 'A':
                _position++;
                _output.Append(@"\A");
                return true;
            case 'z':
                _position++;
                _output.Append(@"\z");
                return true;
            case 'b' or 'B':
                _position++;
                // Go's word boundary is ASCII-only: é is not a word character there.
                var word = $"[{AsciiWord}]";
                _output.Append(c == 'b'
                    ? $"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))"
                    : $"(?:(?<={word})(?={word})|(?<!{word})(?!{word}))");
                return true;
            case 'Q':
                return ParseQuoted();
        }

        if (TryParsePerlSet(out var set, out var negated) || TryParseUnicodeSet(start, out set, out negated))
        {
            _output.Append(negated ? $"(?:{SurrogatePair}|[^{set}])" : $"[{set}]");
            return true;
        }

        _position = start;
        AppendLiteral(ParseEscapedRune());
        return true;
    }

    /// <summary>\Q…\E: literal text; as in Go, a following quantifier applies to its last character only.</summary>
    private bool ParseQuoted()
    {
        _position++;
        var end = _pattern.IndexOf(@"\E", _position, StringComparison.Ordinal);
        var literal = end < 0 ? _pattern[_position..] : _pattern[_position..end];
        _position = end < 0 ? _pattern.Length : end + 2;
        var runes = literal.EnumerateRunes().ToList();
        for (var i = 0; i < runes.Count; i++)
        {
            if (i == runes.Count - 1)
            {
                _atomStart = _output.Length;
            }

            AppendLiteral(runes[i].Value);
        }

        return runes.Count > 0;
    }

    /// <summary>\d \D \s \S \w \W as ASCII sets (class contents, without brackets).</summary>
    private bool TryParsePerlSet(out string set, out bool negated)
    {
        (set, negated) = Current switch
        {
            'd' => ("0-9", false),
            'D' => ("0-9", true),
            's' => (AsciiSpace, false),
            'S' => (AsciiSpace, true),
            'w' => (AsciiWord, false),
            'W' => (AsciiWord, true),
            _ => ("", false),
        };
        if (set.Length == 0)
        {
            return false;
        }

        _position++;
        return true;
    }

    /// <summary>\pL, \p{Lu}, \PL, \P{Lu}, \p{^Lu}, \p{Any}; scripts are rejected.</summary>
    private bool TryParseUnicodeSet(int start, out string set, out bool negated)
    {
        (set, negated) = ("", false);
        if (Current is not 'p' and not 'P')
        {
            return false;
        }

        negated = Current == 'P';
        _position++;
        string name;
        if (!AtEnd && Current == '{')
        {
            var close = _pattern.IndexOf('}', _position);
            if (close < 0)
            {
                throw Error("invalid character class range", _pattern[start..]);
            }

            name = _pattern[(_position + 1)..close];
            _position = close + 1;
        }
        else if (!AtEnd)
        {
            name = _pattern[_position].ToString();
            _position++;
        }
        else
        {
            throw Error("invalid character class range", _pattern[start..]);
        }

        if (name.StartsWith('^'))
        {
            negated = !negated;
            name = name[1..];
        }

        if (name == "Any")
        {
            set = @"\s\S";
            return true;
        }

        if (!Categories.Contains(name))
        {
            throw new Re2SyntaxException(
                $"\\p{{{name}}} in `{_pattern}`: only Unicode general categories (\\p{{L}}, \\p{{Lu}}, \\p{{N}} …) are supported, not scripts or other names");
        }

        set = $@"\p{{{name}}}";
        return true;
    }

    /// <summary>A single-character escape: \a \f \t \n \r \v, \xHH, \x{H…}, octal, or escaped punctuation.</summary>
    private int ParseEscapedRune()
    {
        var start = _position;
        _position++; // the backslash
        if (AtEnd)
        {
            throw Error("trailing backslash at end of expression", "");
        }

        var c = _pattern[_position++];
        switch (c)
        {
            case 'a': return 7;
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'v': return '\v';
            case 'x':
                return ParseHex(start);
            case >= '0' and <= '7':
                // \1-\7 alone would be a backreference, which RE2 does not have.
                if (c != '0' && (AtEnd || Current is < '0' or > '7'))
                {
                    break;
                }

                var value = c - '0';
                for (var i = 1; i < 3 && !AtEnd && Current is >= '0' and <= '7'; i++)
                {
                    value = (value * 8) + (_pattern[_position++] - '0');
                }

                return value;
            default:
                if (c < 0x80 && !char.IsAsciiLetterOrDigit(c))
                {
                    return c;
                }

                break;
        }

        throw Error("invalid escape sequence", _pattern[start..Math.Min(_position, _pattern.Length)]);
    }

    private int ParseHex(int start)
    {
        if (!AtEnd && Current == '{')
        {
            var close = _pattern.IndexOf('}', _position);
            var digits = close < 0 ? "" : _pattern[(_position + 1)..close];
            if (close < 0 || digits.Length == 0 || !digits.All(char.IsAsciiHexDigit)
                || !int.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var braced) || braced > 0x10FFFF)
            {
                throw Error("invalid escape sequence", _pattern[start..(close < 0 ? _pattern.Length : close + 1)]);
            }

            _position = close + 1;
            return braced;
        }

        if (_position + 2 > _pattern.Length || !char.IsAsciiHexDigit(_pattern[_position]) || !char.IsAsciiHexDigit(_pattern[_position + 1]))
        {
            throw Error("invalid escape sequence", _pattern[start..Math.Min(_position + 2, _pattern.Length)]);
        }

        var value = int.Parse(_pattern.AsSpan(_position, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        _position += 2;
        return value;
    }
}
