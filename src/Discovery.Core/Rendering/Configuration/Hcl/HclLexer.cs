using System.Globalization;
using System.Numerics;
using System.Text;

namespace Discovery.Core.Rendering.Configuration.Hcl;

/// <summary>
/// Splits HCL (version 1, what consul-template reads) into tokens: identifiers, "strings" with
/// escapes (<c>${…}</c> is kept as text: consul-template does not interpolate its config),
/// heredocs (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-EOF</c>), numbers (decimal, 0x hex, 0-prefixed octal
/// as in HCL 1, so <c>perms = 0644</c> is 420), true/false, punctuation, and the newlines that
/// end an attribute. Comments: #, // and /* */.
/// </summary>
internal sealed class HclLexer
{
    private readonly string _text;
    private readonly List<HclToken> _tokens = [];
    private int _position;
    private int _line = 1;
    private int _lineStart;

    private HclLexer(string text) => _text = text;

    public static List<HclToken> Tokenize(string text)
    {
        var lexer = new HclLexer(text);
        lexer.Run();
        return lexer._tokens;
    }

    private char Current => _text[_position];

    private int Column => _position - _lineStart + 1;

    private void Run()
    {
        while (_position < _text.Length)
        {
            var c = Current;
            if (c is ' ' or '\t' or '\r')
            {
                _position++;
            }
            else if (c == '\n')
            {
                Add(HclTokenKind.NewLine, "\n");
                NewLine(_position + 1);
            }
            else if (c == '#' || At("//"))
            {
                while (_position < _text.Length && Current != '\n')
                {
                    _position++;
                }
            }
            else if (At("/*"))
            {
                SkipBlockComment();
            }
            else if (At("<<"))
            {
                LexHeredoc();
            }
            else if (c == '"')
            {
                LexString();
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '+' && _position + 1 < _text.Length && char.IsAsciiDigit(_text[_position + 1])))
            {
                LexNumber();
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = _position;
                while (_position < _text.Length && (char.IsLetterOrDigit(Current) || Current is '_' or '-' or '.'))
                {
                    _position++;
                }

                var word = _text[start.._position];
                _tokens.Add(new HclToken(word is "true" or "false" ? HclTokenKind.Bool : HclTokenKind.Identifier, word, _line, start - _lineStart + 1));
            }
            else
            {
                var kind = c switch
                {
                    '=' => HclTokenKind.Equals,
                    ',' => HclTokenKind.Comma,
                    '{' => HclTokenKind.LeftBrace,
                    '}' => HclTokenKind.RightBrace,
                    '[' => HclTokenKind.LeftBracket,
                    ']' => HclTokenKind.RightBracket,
                    _ => throw new HclSyntaxException(_line, Column, $"unexpected character '{c}'"),
                };
                Add(kind, c.ToString());
                _position++;
            }
        }

        _tokens.Add(new HclToken(HclTokenKind.EndOfFile, "", _line, Column));
    }

    private void Add(HclTokenKind kind, string value) => _tokens.Add(new HclToken(kind, value, _line, Column));

    private bool At(string literal) => string.CompareOrdinal(_text, _position, literal, 0, literal.Length) == 0;

    private void NewLine(int next)
    {
        _line++;
        _lineStart = next;
        _position = next;
    }

    private void SkipBlockComment()
    {
        var (line, column) = (_line, Column);
        var end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new HclSyntaxException(line, column, "comment not terminated");
        }

        for (; _position < end + 2; _position++)
        {
            if (Current == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }
        }
    }

    private void LexString()
    {
        var (line, column) = (_line, Column);
        var value = new StringBuilder();
        _position++;
        var braces = 0;
        while (true)
        {
            if (_position >= _text.Length || Current == '\n')
            {
                throw new HclSyntaxException(line, column, "string not terminated");
            }

            var c = Current;
            if (c == '"' && braces == 0)
            {
                _position++;
                break;
            }

            // Inside ${ … } quotes do not end the string (HCL 1 keeps the interpolation as text).
            if (At("${"))
            {
                braces++;
            }
            else if (c == '}' && braces > 0)
            {
                braces--;
            }

            if (c != '\\')
            {
                value.Append(c);
                _position++;
                continue;
            }

            if (_position + 1 >= _text.Length)
            {
                throw new HclSyntaxException(line, column, "string not terminated");
            }

            var escaped = _text[_position + 1];
            _position += 2;
            switch (escaped)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '"': value.Append('"'); break;
                case '\\': value.Append('\\'); break;
                case 'u' or 'U':
                    var length = escaped == 'u' ? 4 : 8;
                    if (_position + length > _text.Length || !int.TryParse(_text.AsSpan(_position, length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)
                        || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                    {
                        throw new HclSyntaxException(_line, Column - 2, $"invalid \\{escaped} escape");
                    }

                    value.Append(char.ConvertFromUtf32(code));
                    _position += length;
                    break;
                default:
                    throw new HclSyntaxException(_line, Column - 2, $"unknown escape sequence \\{escaped}");
            }
        }

        _tokens.Add(new HclToken(HclTokenKind.String, value.ToString(), line, column));
    }

    /// <summary>&lt;&lt;EOF … EOF; with &lt;&lt;-EOF the closing marker may be indented and the common indentation is removed.</summary>
    private void LexHeredoc()
    {
        var (line, column) = (_line, Column);
        _position += 2;
        var indented = _position < _text.Length && Current == '-';
        if (indented)
        {
            _position++;
        }

        var markerStart = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(Current) || Current == '_'))
        {
            _position++;
        }

        var marker = _text[markerStart.._position];
        var lineEnd = _text.IndexOf('\n', _position);
        if (marker.Length == 0 || lineEnd < 0 || _text[_position..lineEnd].Trim().Length > 0)
        {
            throw new HclSyntaxException(line, column, "heredoc needs a marker and a line break, e.g. <<EOF");
        }

        var lines = new List<string>();
        NewLine(lineEnd + 1);
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new HclSyntaxException(line, column, $"heredoc not terminated (no line with {marker})");
            }

            var end = _text.IndexOf('\n', _position);
            var text = end < 0 ? _text[_position..] : _text[_position..end];
            if ((indented ? text.Trim() : text.TrimEnd('\r')) == marker)
            {
                _position = end < 0 ? _text.Length : end;
                break;
            }

            lines.Add(text);
            if (end < 0)
            {
                _position = _text.Length;
                continue;
            }

            NewLine(end + 1);
        }

        if (indented)
        {
            var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            lines = [.. lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())];
        }

        _tokens.Add(new HclToken(HclTokenKind.String, string.Concat(lines.Select(l => l + "\n")), line, column));
    }

    private void LexNumber()
    {
        var (line, column) = (_line, Column);
        var start = _position;
        _position++;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(Current) || Current is '.' or '_' || (Current is '+' or '-' && _text[_position - 1] is 'e' or 'E')))
        {
            _position++;
        }

        var literal = _text[start.._position];
        var negative = literal.StartsWith('-');
        var digits = literal.TrimStart('-', '+');
        string? value = null;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && BigInteger.TryParse("0" + digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
        {
            value = hex.ToString(CultureInfo.InvariantCulture);
        }
        else if (digits.Length > 1 && digits[0] == '0' && digits.All(char.IsAsciiDigit))
        {
            // HCL 1: a leading 0 makes an octal integer (perms = 0644 is 420); 09 is an error.
            value = digits.All(ch => ch is >= '0' and <= '7') ? Convert.ToInt64(digits, 8).ToString(CultureInfo.InvariantCulture) : null;
        }
        else if (digits.All(char.IsAsciiDigit) || double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = digits;
        }

        if (value is null)
        {
            throw new HclSyntaxException(line, column, $"invalid number \"{literal}\"");
        }

        _tokens.Add(new HclToken(HclTokenKind.Number, (negative ? "-" : "") + value, line, column));
    }
}
