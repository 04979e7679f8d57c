using System.Globalization;
using System.Text;

namespace Discovery.Core.Rendering.Templating.Regexp;

/// <summary>Escapes and character classes of <see cref="Re2Translator"/>.</summary>
internal sealed partial class Re2Translator
{
    private const string AsciiSpace = @"\t\n\f\r ";

    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = @"\u0000-\u007F",
        ["blank"] = @"\t ",
        ["cntrl"] = @"\u0000-\u001F\u007F",
        ["digit"] = "0-9",
        ["graph"] = @"!-~",
        ["lower"] = "a-z",
        ["print"] = @" -~",
        ["punct"] = @"!-/:-@\[-`{-~",
        ["space"] = @"\t\n\v\f\r ",
        ["upper"] = "A-Z",
        ["word"] = AsciiWord,
        ["xdigit"] = "0-9A-Fa-f",
    };

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

    /// <summary>
    /// [ … ] and [^ … ]. Positive items are emitted as a .NET class. A negated ASCII set (\D, \W,
    /// \S, [:^alpha:]) has no exact .NET spelling next to other items, so it is accepted only alone.
    /// A negated class also matches a whole surrogate pair, as Go matches one rune.
    /// </summary>
    private void ParseClass()
    {
        var open = _position;
        _position++;
        var negated = !AtEnd && Current == '^';
        if (negated)
        {
            _position++;
        }

        var items = new StringBuilder();
        string? soleNegatedSet = null;
        var itemCount = 0;
        var first = true;
        while (true)
        {
            if (AtEnd)
            {
                throw Error("missing closing ]", _pattern[open..]);
            }

            if (Current == ']' && !first)
            {
                _position++;
                break;
            }

            first = false;
            itemCount++;
            if (TryParseClassSet(out var set, out var setNegated))
            {
                if (setNegated)
                {
                    soleNegatedSet = set;
                }
                else
                {
                    items.Append(set);
                }

                continue;
            }

            var low = ParseClassRune();
            if (!AtEnd && Current == '-' && _position + 1 < _pattern.Length && _pattern[_position + 1] != ']')
            {
                _position++;
                var rangeStart = _position;
                var high = ParseClassRune();
                if (high < low)
                {
                    throw Error("invalid character class range", char.ConvertFromUtf32(low) + "-" + _pattern[rangeStart.._position]);
                }

                items.Append(ClassChar(low, open)).Append('-').Append(ClassChar(high, open));
            }
            else
            {
                items.Append(ClassChar(low, open));
            }
        }

        if (soleNegatedSet is not null)
        {
            if (itemCount > 1)
            {
                throw new Re2SyntaxException(
                    $"`{_pattern[open.._position]}`: a negated set (\\D, \\W, \\S, [:^…:]) inside a larger character class is not supported; write it alone or spell the class out");
            }

            // [\D] is \D; [^\D] is \d.
            negated = !negated;
            items.Append(soleNegatedSet);
        }

        _output.Append(negated ? $"(?:{SurrogatePair}|[^{items}])" : $"[{items}]");
    }

    /// <summary>A set inside a class: \d-style, \p-style or [:posix:]; its contents and whether it is negated.</summary>
    private bool TryParseClassSet(out string set, out bool negated)
    {
        (set, negated) = ("", false);
        if (At("[:"))
        {
            var close = _pattern.IndexOf(":]", _position + 2, StringComparison.Ordinal);
            if (close > 0)
            {
                var name = _pattern[(_position + 2)..close];
                negated = name.StartsWith('^');
                if (PosixClasses.TryGetValue(negated ? name[1..] : name, out var posix))
                {
                    _position = close + 2;
                    set = posix;
                    return true;
                }

                throw Error("invalid character class range", _pattern[_position..(close + 2)]);
            }

            return false;
        }

        if (Current != '\\' || _position + 1 >= _pattern.Length)
        {
            return false;
        }

        var start = _position;
        _position++;
        if (TryParsePerlSet(out set, out negated))
        {
            return true;
        }

        if (TryParseUnicodeSet(start, out set, out negated))
        {
            // .NET spells a negated category inside a class itself (\P{L}), with the same meaning.
            set = negated ? set.Replace(@"\p{", @"\P{", StringComparison.Ordinal) : set;
            negated = false;
            return true;
        }

        _position = start;
        return false;
    }

    private int ParseClassRune()
    {
        if (Current == '\\')
        {
            return ParseEscapedRune();
        }

        return ReadRune();
    }

    private string ClassChar(int rune, int open)
    {
        if (rune > 0xFFFF)
        {
            throw new Re2SyntaxException($"`{_pattern[open..]}`: characters beyond U+FFFF inside a character class are not supported");
        }

        var c = (char)rune;
        return c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c
            : char.IsControl(c) || char.IsSurrogate(c) || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString();
    }
}
