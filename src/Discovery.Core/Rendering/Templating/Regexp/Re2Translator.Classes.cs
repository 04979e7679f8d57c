using System.Text;

namespace Discovery.Core.Rendering.Templating.Regexp;

/// <summary>Character classes (<c>[…]</c>, <c>[^…]</c>, <c>[[:alpha:]]</c>) of <see cref="Re2Translator"/>.</summary>
internal sealed partial class Re2Translator
{
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
