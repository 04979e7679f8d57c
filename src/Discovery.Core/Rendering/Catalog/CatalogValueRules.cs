using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// What a value read from Consul may look like before a template can print it. Anyone holding a
/// token with service:write can put newlines, ';', '{', '}', '#', quotes or spaces into a service's
/// name, ID, address, tags or meta, and a template that prints them into nginx's config would let
/// that write reconfigure nginx (issue 12). Each rule is a strict allow-list of characters and a
/// length bound; a value that breaks one is never handed to a template. Every method returns null
/// for a valid value, or the reason it is not.
/// </summary>
internal static partial class CatalogValueRules
{
    /// <summary>Names, IDs and node names; nginx's Lua peer parser bounds them the same way.</summary>
    public const int MaxName = 128;

    public const int MaxTag = 128;
    public const int MaxMetaValue = 512;

    /// <summary>An RFC 1123 host name is at most 253 characters.</summary>
    public const int MaxHostName = 253;

    /// <summary>Service, node and app names and instance IDs (the node agent's own name rule, bounded).</summary>
    public static string? Name(string what, string? value) =>
        value is null || value.Length == 0 ? $"{what} is empty"
        : value.Length > MaxName ? $"{what} is longer than {MaxName} characters"
        : NamePattern().IsMatch(value) ? null
        : $"{what} {Quote(value)} has characters outside letters, digits, '.', '_', '-' (or does not start with a letter or digit)";

    /// <summary>An IPv4 literal, an IPv6 literal (without brackets or zone) or an RFC 1123 host name.</summary>
    public static string? Address(string what, string? value)
    {
        if (value is null || value.Length == 0)
        {
            return $"{what} is empty";
        }

        if (IsIPv4(value) || IsIPv6(value))
        {
            return null;
        }

        // All-numeric dotted text that is no IPv4 literal (01.2.3.4, 256.0.0.1) is refused rather than taken for a host name.
        return value.Length <= MaxHostName && HostNamePattern().IsMatch(value) && !NumericDottedPattern().IsMatch(value)
            ? null
            : $"{what} {Quote(value)} is not an IP literal or an RFC 1123 host name";
    }

    public static string? Port(int port) => port is >= 0 and <= 65535 ? null : $"port {port} is out of range 0-65535";

    public static string? Tag(string value) =>
        value.Length is > 0 and <= MaxTag && TagPattern().IsMatch(value) ? null
        : $"tag {Quote(value)} is empty, longer than {MaxTag} characters or has characters outside letters, digits and . _ - : / + = @";

    public static string? Meta(string key, string value) =>
        key.Length is 0 or > MaxName || !MetaKeyPattern().IsMatch(key)
            ? $"meta key {Quote(key)} has characters outside letters, digits, '_', '-'"
            : value.Length <= MaxMetaValue && MetaValuePattern().IsMatch(value) ? null
            : $"meta {key} = {Quote(value)} is longer than {MaxMetaValue} characters or has characters outside letters, digits and . _ - : / + = @ ,";

    /// <summary>The first problem of a set of tags and meta, or null.</summary>
    public static string? TagsAndMeta(IEnumerable<string> tags, IEnumerable<KeyValuePair<string, string>> meta) =>
        tags.Select(Tag).FirstOrDefault(problem => problem is not null)
        ?? meta.Select(pair => Meta(pair.Key, pair.Value)).FirstOrDefault(problem => problem is not null);

    /// <summary>IPv4 dotted quad, no leading zeros (nginx's Lua peer parser refuses them too).</summary>
    public static bool IsIPv4(string value) =>
        IPv4Pattern().Match(value) is { Success: true } match
        && match.Groups["octet"].Captures.All(octet => int.Parse(octet.Value, CultureInfo.InvariantCulture) <= 255 && (octet.Length == 1 || octet.Value[0] != '0'));

    /// <summary>An IPv6 literal as Consul stores it: hex digits, ':' and a dotted IPv4 tail only (no zone, no brackets).</summary>
    public static bool IsIPv6(string value) =>
        value.Length is >= 2 and <= 45
        && IPv6CharactersPattern().IsMatch(value)
        && IPAddress.TryParse(value, out var parsed)
        && parsed.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>A value as a log can show it: quoted, control characters escaped, cut at 80 characters.</summary>
    public static string Quote(string value)
    {
        var shown = value.Length > 80 ? value[..80] + "…" : value;
        return "\"" + ControlPattern().Replace(shown, match => $"\\x{(int)match.Value[0]:x2}") + "\"";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    // Labels of 1-63 letters, digits and '-', neither first nor last a '-', joined by single dots.
    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostNamePattern();

    [GeneratedRegex("^[0-9.]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NumericDottedPattern();

    [GeneratedRegex("^(?:(?<octet>[0-9]{1,3})\\.){3}(?<octet>[0-9]{1,3})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IPv4Pattern();

    [GeneratedRegex("^[0-9A-Fa-f:.]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IPv6CharactersPattern();

    [GeneratedRegex("^[A-Za-z0-9._:/+=@-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MetaKeyPattern();

    [GeneratedRegex("^[A-Za-z0-9._:/+=@,-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MetaValuePattern();

    [GeneratedRegex("[\\x00-\\x1f\\x7f]", RegexOptions.CultureInvariant)]
    private static partial Regex ControlPattern();
}
