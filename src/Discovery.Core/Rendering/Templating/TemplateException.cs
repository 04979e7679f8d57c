namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// A template that cannot be loaded (syntax, unknown function or field, wrong argument types) or,
/// rarely, cannot be rendered (for example <c>index</c> out of range). Always names the place in
/// the template so an operator can fix the file without reading engine code.
/// </summary>
internal sealed class TemplateException : Exception
{
    public TemplateException(string fileName, int line, int column, string reason)
        : base($"{fileName}:{line}:{column}: {reason}")
    {
        FileName = fileName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public string FileName { get; }

    /// <summary>1-based line of the offending token.</summary>
    public int Line { get; }

    /// <summary>1-based column (in characters) of the offending token.</summary>
    public int Column { get; }

    /// <summary>The message without the position prefix.</summary>
    public string Reason { get; }
}
