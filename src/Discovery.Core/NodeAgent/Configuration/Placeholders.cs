using System.Text;

namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>
/// The per-instance placeholders allowed in command, args, env values and workingDir:
/// {port}, {address}, {instance}, {app}, {node}, {version} (the version this instance runs) and
/// {artifacts} (that version's artifact folder, when the app declares <c>artifacts</c>). "{{" and "}}" stand for literal braces, so a shell
/// script can still write "${{HOME}}". Any other "{name}" is a config error rather than being passed
/// through, because a typo like "{prot}" would otherwise start every instance on a wrong argument.
/// </summary>
public static class Placeholders
{
    public const string Port = "port";
    public const string Address = "address";
    public const string Instance = "instance";
    public const string App = "app";
    public const string Node = "node";
    public const string Version = "version";
    public const string Artifacts = "artifacts";

    public static IReadOnlyList<string> Known { get; } = [Port, Address, Instance, App, Node, Version, Artifacts];

    /// <summary>Placeholders an artifact folder may use: it names a version's files, not an instance's.</summary>
    public static IReadOnlyList<string> KnownInArtifacts { get; } = [App, Version];

    /// <summary>True when <paramref name="text"/> uses placeholder <paramref name="name"/>.</summary>
    public static bool Uses(string text, string name)
    {
        var found = false;
        Walk(text, candidate =>
        {
            found |= candidate == name;
            return "";
        });
        return found;
    }

    /// <summary>Names inside braces that are not known placeholders (empty when the text is fine).</summary>
    public static IReadOnlyList<string> FindUnknown(string text)
    {
        var unknown = new List<string>();
        Walk(text, name =>
        {
            if (!Known.Contains(name))
            {
                unknown.Add(name);
            }

            return "";
        });
        return unknown;
    }

    /// <summary>Replaces every placeholder; throws on an unknown one (validation has already rejected those).</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> values) =>
        Walk(text, name => values.TryGetValue(name, out var value)
            ? value
            : throw new ArgumentException($"unknown placeholder {{{name}}} in \"{text}\"", nameof(text)));

    private static string Walk(string text, Func<string, string> replace)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                result.Append(c);
                i++;
                continue;
            }

            if (c == '{')
            {
                var close = text.IndexOf('}', i + 1);
                if (close > i + 1)
                {
                    result.Append(replace(text[(i + 1)..close]));
                    i = close;
                    continue;
                }
            }

            result.Append(c);
        }

        return result.ToString();
    }
}
