namespace Discovery.Core.Rendering.Templating.Syntax;

internal enum TokenKind
{
    Text,
    LeftDelim,
    RightDelim,
    Identifier,
    Keyword,
    Field,
    Variable,
    Dot,
    String,
    Number,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    EndOfFile,
}
