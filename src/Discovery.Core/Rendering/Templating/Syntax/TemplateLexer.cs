using System.Globalization;
using System.Text;

namespace Discovery.Core.Rendering.Templating.Syntax;

/// <summary>
/// Splits a template into text and action tokens with Go text/template's rules: <c>{{- </c> trims
/// white space before the action, <c> -}}</c> after it, <c>{{/* … */}}</c> is a comment.
/// </summary>
internal sealed class TemplateLexer
{
    private const string LeftDelimiter = "{{";
    private const string RightDelimiter = "}}";

    private readonly string _text;
    private readonly string _fileName;
    private readonly List<Token> _tokens = [];
    private int _position;
    private int _line = 1;
    private int _lineStart;

    private TemplateLexer(string text, string fileName)
    {
        _text = text;
        _fileName = fileName;
    }

    public static List<Token> Tokenize(string text, string fileName)
    {
        var lexer = new TemplateLexer(text, fileName);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        var trimNextText = false;
        while (_position < _text.Length)
        {
            var actionStart = _text.IndexOf(LeftDelimiter, _position, StringComparison.Ordinal);
            var textEnd = actionStart < 0 ? _text.Length : actionStart;
            var trimLeft = actionStart >= 0 && IsTrimMarker(actionStart + LeftDelimiter.Length);
            EmitText(_position, textEnd, trimNextText, trimLeft);
            if (actionStart < 0)
            {
                break;
            }

            trimNextText = LexAction(actionStart, trimLeft);
        }

        _tokens.Add(new Token(TokenKind.EndOfFile, "", _line, _position - _lineStart + 1, false));
    }

    // "{{- " needs the space: "{{-3}}" is the number -3, as in Go.
    private bool IsTrimMarker(int dashAt) =>
        dashAt + 1 < _text.Length && _text[dashAt] == '-' && IsSpace(_text[dashAt + 1]);

    private void EmitText(int start, int end, bool trimStart, bool trimEnd)
    {
        var (line, column) = (_line, start - _lineStart + 1);
        var from = start;
        var to = end;
        if (trimStart)
        {
            while (from < to && IsSpace(_text[from]))
            {
                from++;
            }
        }

        if (trimEnd)
        {
            while (to > from && IsSpace(_text[to - 1]))
            {
                to--;
            }
        }

        Advance(start, end);
        if (to > from)
        {
            _tokens.Add(new Token(TokenKind.Text, _text[from..to], line, column, false));
        }
    }

    /// <summary>Lexes one action starting at "{{"; returns whether it ended with a trim marker.</summary>
    private bool LexAction(int start, bool trimLeft)
    {
        var (openLine, openColumn) = (_line, start - _lineStart + 1);
        _tokens.Add(new Token(TokenKind.LeftDelim, LeftDelimiter, openLine, openColumn, false));
        var position = start + LeftDelimiter.Length + (trimLeft ? 2 : 0);
        Advance(_position, position);

        if (At("/*"))
        {
            return LexComment(openLine, openColumn);
        }

        var spaceBefore = trimLeft;
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error(openLine, openColumn, "unclosed action: \"{{\" has no matching \"}}\"");
            }

            var c = _text[_position];
            if (IsSpace(c))
            {
                if (At(" -}}") || At("\t-}}") || At("\n-}}") || At("\r-}}"))
                {
                    AddToken(TokenKind.RightDelim, RightDelimiter, _position + 2, true);
                    Advance(_position, _position + 4);
                    return true;
                }

                Advance(_position, _position + 1);
                spaceBefore = true;
                continue;
            }

            if (At(RightDelimiter))
            {
                AddToken(TokenKind.RightDelim, RightDelimiter, _position, spaceBefore);
                Advance(_position, _position + 2);
                return false;
            }

            LexInsideAction(spaceBefore);
            spaceBefore = false;
        }
    }

    private bool LexComment(int openLine, int openColumn)
    {
        var end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error(openLine, openColumn, "unclosed comment");
        }

        Advance(_position, end + 2);
        var trimRight = false;
        if (At(" -}}"))
        {
            trimRight = true;
            Advance(_position, _position + 2);
        }

        if (!At(RightDelimiter))
        {
            throw Error(_line, _position - _lineStart + 1, "comment ends before closing delimiter");
        }

        Advance(_position, _position + 2);

        // A comment produces nothing; drop the "{{" we added.
        _tokens.RemoveAt(_tokens.Count - 1);
        return trimRight;
    }

    private void LexInsideAction(bool spaceBefore)
    {
        var start = _position;
        var c = _text[start];
        switch (c)
        {
            case '|':
                Single(TokenKind.Pipe, spaceBefore);
                return;
            case '(':
                Single(TokenKind.LeftParen, spaceBefore);
                return;
            case ')':
                Single(TokenKind.RightParen, spaceBefore);
                return;
            case ',':
                Single(TokenKind.Comma, spaceBefore);
                return;
            case '=':
                Single(TokenKind.Assign, spaceBefore);
                return;
            case ':':
                if (At(":="))
                {
                    AddToken(TokenKind.Declare, ":=", start, spaceBefore);
                    Advance(start, start + 2);
                    return;
                }

                throw Error(_line, start - _lineStart + 1, "expected :=");
            case '"':
                LexQuoted(spaceBefore);
                return;
            case '`':
                LexRaw(spaceBefore);
                return;
            case '$':
                {
                    var end = ScanWord(start + 1);
                    AddToken(TokenKind.Variable, _text[start..end], start, spaceBefore);
                    Advance(start, end);
                    return;
                }

            case '.':
                if (start + 1 < _text.Length && IsWordChar(_text[start + 1]) && !char.IsDigit(_text[start + 1]))
                {
                    var end = ScanWord(start + 1);
                    AddToken(TokenKind.Field, _text[(start + 1)..end], start, spaceBefore);
                    Advance(start, end);
                    return;
                }

                if (start + 1 < _text.Length && char.IsDigit(_text[start + 1]))
                {
                    LexNumber(spaceBefore);
                    return;
                }

                Single(TokenKind.Dot, spaceBefore);
                return;
        }

        if (char.IsDigit(c) || ((c == '-' || c == '+') && start + 1 < _text.Length && (char.IsDigit(_text[start + 1]) || _text[start + 1] == '.')))
        {
            LexNumber(spaceBefore);
            return;
        }

        if (IsWordChar(c))
        {
            var end = ScanWord(start);
            var word = _text[start..end];
            var kind = word is "if" or "else" or "end" or "range" or "with" or "define" or "template" or "block"
                or "break" or "continue" or "true" or "false" or "nil"
                ? TokenKind.Keyword
                : TokenKind.Identifier;
            AddToken(kind, word, start, spaceBefore);
            Advance(start, end);
            return;
        }

        throw Error(_line, start - _lineStart + 1, $"unexpected character '{c}' in action");
    }

    private void LexNumber(bool spaceBefore)
    {
        var start = _position;
        var end = start;
        if (_text[end] is '+' or '-')
        {
            end++;
        }

        while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '.' || _text[end] == '_'
               || ((_text[end] is '+' or '-') && (_text[end - 1] is 'e' or 'E'))))
        {
            end++;
        }

        var text = _text[start..end];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw Error(_line, start - _lineStart + 1, $"bad number syntax: \"{text}\"");
        }

        AddToken(TokenKind.Number, text, start, spaceBefore);
        Advance(start, end);
    }

    private void LexQuoted(bool spaceBefore)
    {
        var start = _position;
        var value = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= _text.Length || _text[i] == '\n')
            {
                throw Error(_line, start - _lineStart + 1, "unterminated quoted string");
            }

            var c = _text[i];
            if (c == '"')
            {
                break;
            }

            if (c != '\\')
            {
                value.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= _text.Length)
            {
                throw Error(_line, start - _lineStart + 1, "unterminated quoted string");
            }

            i = UnquoteEscape(i, value);
        }

        AddToken(TokenKind.String, value.ToString(), start, spaceBefore);
        Advance(start, i + 1);
    }

    /// <summary>
    /// One backslash escape of a double-quoted string, as Go's strconv.Unquote reads it: \a \b \f
    /// \n \r \t \v \\ \", \xHH and \NNN (octal; bytes, so only ASCII here), \uHHHH, \UHHHHHHHH.
    /// Returns the index after it.
    /// </summary>
    private int UnquoteEscape(int i, StringBuilder value)
    {
        var escaped = _text[i + 1];
        switch (escaped)
        {
            case 'n': value.Append('\n'); return i + 2;
            case 't': value.Append('\t'); return i + 2;
            case 'r': value.Append('\r'); return i + 2;
            case '\\': value.Append('\\'); return i + 2;
            case '"': value.Append('"'); return i + 2;
            case 'a': value.Append('\a'); return i + 2;
            case 'b': value.Append('\b'); return i + 2;
            case 'f': value.Append('\f'); return i + 2;
            case 'v': value.Append('\v'); return i + 2;
            case 'x' or 'u' or 'U':
                var length = escaped == 'x' ? 2 : escaped == 'u' ? 4 : 8;
                var digits = i + 2 + length <= _text.Length ? _text.Substring(i + 2, length) : "";
                if (digits.Length == length && digits.All(char.IsAsciiHexDigit))
                {
                    var code = int.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (escaped == 'x' ? code < 0x80 : code <= 0x10FFFF && code is < 0xD800 or > 0xDFFF)
                    {
                        value.Append(char.ConvertFromUtf32(code));
                        return i + 2 + length;
                    }
                }

                break;
            case >= '0' and <= '7':
                var octal = i + 4 <= _text.Length ? _text.Substring(i + 1, 3) : "";
                if (octal.Length == 3 && octal.All(c => c is >= '0' and <= '7') && Convert.ToInt32(octal, 8) < 0x80)
                {
                    value.Append((char)Convert.ToInt32(octal, 8));
                    return i + 4;
                }

                break;
        }

        throw Error(_line, i - _lineStart + 1, escaped is 'x' or (>= '0' and <= '7')
            ? $"invalid or non-ASCII byte escape \\{escaped} in string (Go strings are bytes; write the character itself)"
            : $"unknown escape sequence \\{escaped} in string");
    }

    private void LexRaw(bool spaceBefore)
    {
        var start = _position;
        var end = _text.IndexOf('`', start + 1);
        if (end < 0)
        {
            throw Error(_line, start - _lineStart + 1, "unterminated raw quoted string");
        }

        AddToken(TokenKind.String, _text[(start + 1)..end], start, spaceBefore);
        Advance(start, end + 1);
    }

    private void Single(TokenKind kind, bool spaceBefore)
    {
        AddToken(kind, _text[_position].ToString(), _position, spaceBefore);
        Advance(_position, _position + 1);
    }

    private void AddToken(TokenKind kind, string value, int at, bool spaceBefore) =>
        _tokens.Add(new Token(kind, value, _line, at - _lineStart + 1, spaceBefore));

    private int ScanWord(int from)
    {
        var end = from;
        while (end < _text.Length && IsWordChar(_text[end]))
        {
            end++;
        }

        return end;
    }

    /// <summary>Moves to <paramref name="to"/>, keeping line and column right across newlines.</summary>
    private void Advance(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (_text[i] == '\n')
            {
                _line++;
                _lineStart = i + 1;
            }
        }

        _position = to;
    }

    private bool At(string literal) => string.CompareOrdinal(_text, _position, literal, 0, literal.Length) == 0;

    private TemplateException Error(int line, int column, string reason) => new(_fileName, line, column, reason);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsWordChar(char c) => c == '_' || char.IsLetterOrDigit(c);
}
