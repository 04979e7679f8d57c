using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Discovery.Core.Rendering.Templating.Regexp;

/// <summary>
/// Rewrites a Go (RE2) pattern into a .NET pattern that matches exactly the same strings, or
/// rejects it. Differences it bridges: <c>$</c> is end of text (not before a final newline);
/// <c>\d \w \s \b</c> are ASCII; <c>.</c> and negated sets consume a whole surrogate pair;
/// <c>\Q…\E</c>, <c>\x{…}</c>, <c>\pL</c>, <c>[[:alpha:]]</c>, <c>(?P&lt;name&gt;…)</c> and the
/// ungreedy flag <c>(?U)</c> exist; groups are numbered left to right. What Go rejects
/// (backreferences, lookaround, <c>\Z</c>, repeat counts over 1000 …) is rejected with Go's message;
/// what cannot be reproduced exactly (Unicode scripts such as <c>\p{Greek}</c>, a negated set
/// inside a larger class, characters beyond U+FFFF inside a class) is rejected with the reason.
/// </summary>
internal sealed partial class Re2Translator
{
    private const int MaxRepeat = 1000;
    private const string AsciiWord = "0-9A-Za-z_";
    private const string SurrogatePair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";

    private readonly string _pattern;
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private int _position;
    private int _groups;
    private Flags _flags;

    private Re2Translator(string pattern) => _pattern = pattern;

    [Flags]
    private enum Flags
    {
        None = 0,
        MultiLine = 1,
        DotAll = 2,
        Ungreedy = 4,
        IgnoreCase = 8,
    }

    public static Re2Translation Translate(string pattern)
    {
        var translator = new Re2Translator(pattern);
        translator.ParseAlternation(topLevel: true);
        return new Re2Translation(translator._output.ToString(), translator._groups, translator._names);
    }

    /// <summary>The .NET name of Go's capturing group <paramref name="number"/>.</summary>
    public static string GroupName(int number) => "g" + number.ToString(CultureInfo.InvariantCulture);

    private bool AtEnd => _position >= _pattern.Length;

    private char Current => _pattern[_position];

    /// <summary>alternation := concatenation ('|' concatenation)*, up to ')' or the end.</summary>
    private void ParseAlternation(bool topLevel)
    {
        while (true)
        {
            ParseConcatenation();
            if (AtEnd)
            {
                return;
            }

            if (Current == '|')
            {
                _output.Append('|');
                _position++;
                continue;
            }

            // ')': the caller closes the group; at the top level it has no '('.
            if (topLevel)
            {
                throw Error("unexpected )", _pattern);
            }

            return;
        }
    }

    private void ParseConcatenation()
    {
        while (!AtEnd && Current is not '|' and not ')')
        {
            var atomStart = _output.Length;
            _atomStart = null;
            if (!ParseAtom())
            {
                continue; // a flag group such as (?i) emits no atom to repeat
            }

            ParseRepetition(_atomStart ?? atomStart);
        }
    }

    /// <summary>Parses one atom into the output; false when nothing repeatable was produced.</summary>
    private bool ParseAtom()
    {
        var c = Current;
        switch (c)
        {
            case '(':
                return ParseGroup();
            case '[':
                ParseClass();
                return true;
            case '.':
                _position++;
                _output.Append(_flags.HasFlag(Flags.DotAll) ? $"(?:{SurrogatePair}|[\\s\\S])" : $"(?:{SurrogatePair}|[^\\n])");
                return true;
            case '^':
                _position++;
                _output.Append(_flags.HasFlag(Flags.MultiLine) ? "(?m:^)" : @"\A");
                return true;
            case '$':
                _position++;
                _output.Append(_flags.HasFlag(Flags.MultiLine) ? "(?m:$)" : @"\z");
                return true;
            case '*' or '+' or '?':
                throw Error("missing argument to repetition operator", c.ToString());
            case '\\':
                return ParseEscape();
            default:
                AppendLiteral(ReadRune());
                return true;
        }
    }

    /// <summary>*, +, ?, {n}, {n,}, {n,m}, each optionally followed by '?' (which (?U) swaps).</summary>
    private void ParseRepetition(int atomStart)
    {
        if (AtEnd)
        {
            return;
        }

        var start = _position;
        string? quantifier = Current switch
        {
            '*' or '+' or '?' => Current.ToString(),
            '{' => ReadCount(),
            _ => null,
        };
        if (quantifier is null)
        {
            return;
        }

        if (quantifier.Length == 1)
        {
            _position++;
        }

        var lazy = !AtEnd && Current == '?';
        if (lazy)
        {
            _position++;
        }

        if (!AtEnd && (Current is '*' or '+' or '?' || (Current == '{' && PeekCount())))
        {
            throw Error("invalid nested repetition operator", _pattern[start..(_position + 1)]);
        }

        // Wrap the atom so the quantifier applies to all of it (a literal surrogate pair, an escape).
        var atom = _output.ToString(atomStart, _output.Length - atomStart);
        _output.Length = atomStart;
        _output.Append("(?:").Append(atom).Append(')').Append(quantifier);
        if (lazy != _flags.HasFlag(Flags.Ungreedy))
        {
            _output.Append('?');
        }
    }

    private bool PeekCount()
    {
        var saved = _position;
        var count = ReadCount();
        _position = saved;
        return count is not null;
    }

    /// <summary>Reads {n}, {n,} or {n,m}; null (position unchanged) when it is not one, so '{' is a literal, as in Go.</summary>
    private string? ReadCount()
    {
        var match = CountSyntax().Match(_pattern, _position);
        if (!match.Success || match.Index != _position)
        {
            return null;
        }

        var minimum = ParseCountNumber(match.Groups["min"].Value);
        var maximum = match.Groups["comma"].Success
            ? match.Groups["max"].Success ? ParseCountNumber(match.Groups["max"].Value) : -1
            : minimum;
        if (minimum > MaxRepeat || maximum > MaxRepeat || (maximum >= 0 && maximum < minimum))
        {
            throw Error("invalid repeat count", match.Value);
        }

        _position += match.Length;
        return match.Value;
    }

    private static int ParseCountNumber(string digits) =>
        digits.Length > 4 ? MaxRepeat + 1 : int.Parse(digits, CultureInfo.InvariantCulture);

    /// <summary>( … ), (?: … ), (?P&lt;name&gt; … ), (?&lt;name&gt; … ), (?flags) and (?flags: … ).</summary>
    private bool ParseGroup()
    {
        var open = _position;
        _position++;
        var savedFlags = _flags;
        if (!AtEnd && Current == '?')
        {
            _position++;
            if (At("P<") || (At("<") && !At("<=") && !At("<!")))
            {
                _position += At("P<") ? 2 : 1;
                var close = _pattern.IndexOf('>', _position);
                var name = close < 0 ? "" : _pattern[_position..close];
                if (close < 0 || name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                {
                    throw Error("invalid named capture", _pattern[open..(close < 0 ? _pattern.Length : close + 1)]);
                }

                if (_names.ContainsKey(name))
                {
                    throw Error("duplicate capture group name", name);
                }

                _position = close + 1;
                _names[name] = _groups + 1;
                return ParseCapture(open);
            }

            var negate = false;
            var sawFlag = false;
            while (!AtEnd && Current is not ')' and not ':')
            {
                var flag = Current switch
                {
                    'i' => Flags.IgnoreCase,
                    'm' => Flags.MultiLine,
                    's' => Flags.DotAll,
                    'U' => Flags.Ungreedy,
                    '-' when !negate => Flags.None,
                    _ => throw Error("invalid or unsupported Perl syntax", _pattern[open..Math.Min(_position + 1, _pattern.Length)]),
                };
                if (flag == Flags.None)
                {
                    negate = true;
                }
                else
                {
                    _flags = negate ? _flags & ~flag : _flags | flag;
                    sawFlag = true;
                }

                _position++;
            }

            if (AtEnd || (negate && !sawFlag) || (!sawFlag && !negate && Current == ')'))
            {
                throw Error("invalid or unsupported Perl syntax", _pattern[open..Math.Min(_position + 1, _pattern.Length)]);
            }

            // Only case-insensitivity is left to .NET; ^ $ . and greediness are translated here.
            var caseFlag = CaseFlag(savedFlags, _flags);
            if (Current == ')')
            {
                // (?flags): applies to the rest of the enclosing group, as in .NET.
                _position++;
                _output.Append(caseFlag.Length > 0 ? $"(?{caseFlag})" : "");
                return false;
            }

            _position++; // ':'
            _output.Append(caseFlag.Length > 0 ? $"(?{caseFlag}:" : "(?:");
            ParseGroupBody(open);
            _flags = savedFlags;
            return true;
        }

        return ParseCapture(open);
    }

    private bool ParseCapture(int open)
    {
        var number = ++_groups;
        var savedFlags = _flags;
        _output.Append("(?<").Append(GroupName(number)).Append('>');
        ParseGroupBody(open);
        _flags = savedFlags;
        return true;
    }

    private void ParseGroupBody(int open)
    {
        ParseAlternation(topLevel: false);
        if (AtEnd)
        {
            throw Error("missing closing )", _pattern[open..]);
        }

        _position++;
        _output.Append(')');
    }

    private static string CaseFlag(Flags before, Flags after) =>
        (before.HasFlag(Flags.IgnoreCase), after.HasFlag(Flags.IgnoreCase)) switch
        {
            (false, true) => "i",
            (true, false) => "-i",
            _ => "",
        };

    private bool At(string text) => string.CompareOrdinal(_pattern, _position, text, 0, text.Length) == 0;

    private int ReadRune()
    {
        var width = char.IsSurrogatePair(_pattern, _position) ? 2 : 1;
        var rune = width == 2 ? char.ConvertToUtf32(_pattern[_position], _pattern[_position + 1]) : _pattern[_position];
        _position += width;
        return rune;
    }

    /// <summary>A literal rune; one beyond U+FFFF is grouped so a following quantifier repeats both halves.</summary>
    private void AppendLiteral(int rune)
    {
        if (rune > 0xFFFF)
        {
            var pair = char.ConvertFromUtf32(rune);
            _output.Append("(?:").Append(EscapeChar(pair[0])).Append(EscapeChar(pair[1])).Append(')');
            return;
        }

        _output.Append(EscapeChar((char)rune));
    }

    private static string EscapeChar(char c) =>
        c is '\\' or '*' or '+' or '?' or '|' or '{' or '}' or '[' or ']' or '(' or ')' or '^' or '$' or '.' or '#' or ' ' or '-'
            ? "\\" + c
            : char.IsControl(c) || char.IsSurrogate(c) || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString();

    private static Re2SyntaxException Error(string code, string fragment) => new($"error parsing regexp: {code}: `{fragment}`");

    [GeneratedRegex(@"\{(?<min>[0-9]+)(?<comma>,(?<max>[0-9]+)?)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex CountSyntax();
}
