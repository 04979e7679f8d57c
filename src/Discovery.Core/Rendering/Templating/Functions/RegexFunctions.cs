using Discovery.Core.Rendering.Templating.Evaluation;
using Discovery.Core.Rendering.Templating.Regexp;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>
/// regexMatch and regexReplaceAll with Go's RE2 syntax and semantics (see <see cref="Re2Translator"/>).
/// A pattern written in the template is compiled when the template loads, so a bad one is a load error.
/// </summary>
internal static class RegexFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        yield return new TemplateFunction("regexMatch", 2, 2, TypeRules.Strings(TemplateType.Bool),
            (_, a) => Compile(a.GetString(0)).IsMatch(a.GetString(1)), ValidatePattern);
        yield return new TemplateFunction("regexReplaceAll", 3, 3, TypeRules.Strings(TemplateType.String),
            (_, a) => Compile(a.GetString(0)).ReplaceAll(a.GetString(2), a.GetString(1)), ValidatePattern);
    }

    private static Re2Pattern Compile(string pattern)
    {
        try
        {
            return Re2Pattern.Get(pattern);
        }
        catch (Re2SyntaxException error)
        {
            throw new TemplateEvaluationError(error.Message);
        }
    }

    private static string? ValidatePattern(object?[] constants)
    {
        if (constants[0] is not string pattern)
        {
            return null;
        }

        try
        {
            Re2Pattern.Get(pattern);
            return null;
        }
        catch (Re2SyntaxException error)
        {
            return error.Message;
        }
    }
}
