namespace Discovery.Core.Rendering.Configuration.Hcl;

internal enum HclTokenKind
{
    Identifier,
    String,
    Number,
    Bool,
    Equals,
    Comma,
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
    NewLine,
    EndOfFile,
}
