namespace Discovery.Core.Rendering.Templating.Regexp;

/// <summary>
/// A pattern Go's regexp package would reject, or one outside the part of RE2 this translator
/// reproduces exactly. The message follows Go's ("error parsing regexp: …: `…`") for the former.
/// </summary>
internal sealed class Re2SyntaxException(string message) : Exception(message);
