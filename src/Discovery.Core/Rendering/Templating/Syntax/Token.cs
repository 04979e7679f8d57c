namespace Discovery.Core.Rendering.Templating.Syntax;

/// <summary>
/// One lexeme. <see cref="Value"/> is the decoded text (string literals unquoted, fields without
/// the dot). <see cref="SpaceBefore"/> matters because <c>$x.Port</c> is one operand but
/// <c>$x .Port</c> is two, as in Go.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Line, int Column, bool SpaceBefore);
