using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Discovery.Core.Rendering.Catalog;

namespace Discovery.Core.Rendering.Peers;

/// <summary>
/// The peer set's text form, with exactly the rules nginx applies to it
/// (nginx-templates/lua/discovery/peer_set.lua; a test pushes the same cases to a real nginx and
/// compares). One peer per line, <c>&lt;app&gt; &lt;address&gt;:&lt;port&gt; &lt;weight&gt; &lt;instance-id&gt;</c>;
/// blank lines and <c>#</c> comments ignored; an invalid line is skipped with its reason.
/// </summary>
internal static partial class PeerSetText
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxPeers = 10_000;
    public const int MaxLine = 512;
    public const int MaxWeight = 1000;
    public const int MaxName = 128;
    public const int MaxProblems = 20;

    /// <summary>
    /// Parses <paramref name="text"/>; null with <paramref name="refusal"/> when the text as a whole
    /// is refused (too large, too many peers, or not one valid line among invalid ones).
    /// </summary>
    public static PeerSet? Parse(string text, out string? refusal)
    {
        refusal = null;
        if (Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            refusal = $"peer set larger than {MaxBytes} bytes";
            return null;
        }

        var peers = new List<PeerEntry>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var peer = ParseLine(line, out var why);
            if (peer is not null && !seen.Add(peer.App + " " + peer.Endpoint))
            {
                why = $"duplicate of an earlier line for {peer.App} {peer.Endpoint}";
                peer = null;
            }

            if (peer is null)
            {
                skipped++;
                if (problems.Count < MaxProblems)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"line {number}: {why}"));
                }

                continue;
            }

            if (peers.Count >= MaxPeers)
            {
                refusal = $"more than {MaxPeers} peers";
                return null;
            }

            peers.Add(peer);
        }

        if (peers.Count == 0 && skipped > 0)
        {
            refusal = $"no valid peer line ({string.Join("; ", problems)})";
            return null;
        }

        return new PeerSet(peers, problems, skipped);
    }

    /// <summary>The canonical text nginx keeps and answers with: apps sorted by name, peers in their order.</summary>
    public static string Format(IEnumerable<PeerEntry> peers)
    {
        var text = new StringBuilder();
        foreach (var peer in peers.GroupBy(peer => peer.App, StringComparer.Ordinal).OrderBy(app => app.Key, StringComparer.Ordinal).SelectMany(app => app))
        {
            text.Append(CultureInfo.InvariantCulture, $"{peer.App} {peer.Endpoint} {peer.Weight} {peer.InstanceId}\n");
        }

        return text.ToString();
    }

    private static PeerEntry? ParseLine(string line, out string why)
    {
        why = "";
        if (Encoding.UTF8.GetByteCount(line) > MaxLine)
        {
            why = $"line longer than {MaxLine} bytes";
            return null;
        }

        var match = LinePattern().Match(line);
        if (!match.Success)
        {
            why = "expected '<app> <address>:<port> <weight> <instance-id>'";
            return null;
        }

        var (app, address, id) = (match.Groups["app"].Value, match.Groups["address"].Value, match.Groups["id"].Value);
        if (!IsName(app))
        {
            why = "invalid app name";
        }
        else if (!IsIPv4(address) && !IsBracketedIPv6(address))
        {
            why = "address is not an IPv4 literal or a bracketed IPv6 literal";
        }
        else if (!InRange(match.Groups["port"].Value, 5, 65535, out var port))
        {
            why = "port out of range 1-65535";
        }
        else if (!InRange(match.Groups["weight"].Value, 4, MaxWeight, out var weight))
        {
            why = $"weight out of range 1-{MaxWeight}";
        }
        else if (!IsName(id))
        {
            why = "invalid instance id";
        }
        else
        {
            return new PeerEntry(app, address, port, weight, id);
        }

        return null;
    }

    private static bool IsName(string name) => name.Length <= MaxName && NamePattern().IsMatch(name);

    private static bool IsIPv4(string address) => CatalogValueRules.IsIPv4(address);

    private static bool IsBracketedIPv6(string address) =>
        IPv6Pattern().IsMatch(address)
        && address.Length - 2 is >= 2 and <= 45
        && IPAddress.TryParse(address.AsSpan(1, address.Length - 2), out var parsed)
        && parsed.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>At most <paramref name="maxDigits"/> digits (leading zeros count) and within 1..<paramref name="max"/>.</summary>
    private static bool InRange(string digits, int maxDigits, int max, out int value)
    {
        value = 0;
        return digits.Length <= maxDigits && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
    }

    // The address is everything up to the last ':' of the second field (IPv6 literals hold colons).
    [GeneratedRegex("^(?<app>[^ ]+) (?<address>[^ ]+):(?<port>[0-9]+) (?<weight>[0-9]+) (?<id>[^ ]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LinePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\[[0-9A-Fa-f:.]+\]$", RegexOptions.CultureInvariant)]
    private static partial Regex IPv6Pattern();
}
