using System.Text.RegularExpressions;

namespace Discovery.Core.Postgres.Control;

/// <summary>
/// Names that go into SQL text (CREATE ROLE/DATABASE cannot take parameters): only plain lower-case
/// identifiers are accepted, so no quoting rules are ever in play.
/// </summary>
internal static partial class SqlIdentifier
{
    public static bool IsPlain(string name) => name.Length <= 63 && Plain().IsMatch(name);

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex Plain();
}
