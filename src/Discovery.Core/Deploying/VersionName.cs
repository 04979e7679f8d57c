using System.Text.RegularExpressions;

namespace Discovery.Core.Deploying;

/// <summary>
/// What a version string may look like wherever it comes from (KV, a deploy request, service meta):
/// a letter or digit, then letters, digits, '.', '_', '+', '-', 64 characters at most. Strict on
/// purpose: a version is expanded into a command line and an artifact path, so "../x" or "a b"
/// must never get that far.
/// </summary>
public static partial class VersionName
{
    public const int MaxLength = 64;

    public static bool IsValid(string? version) => version is not null && Pattern().IsMatch(version);

    /// <summary>Why <paramref name="version"/> is not valid, for logs and CLI errors (null when it is).</summary>
    public static string? Problem(string? version) => IsValid(version)
        ? null
        : $"\"{Shorten(version ?? "")}\" is not a valid version (letters, digits, '.', '_', '+', '-'; starting with a letter or digit; at most {MaxLength} characters)";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._+-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
