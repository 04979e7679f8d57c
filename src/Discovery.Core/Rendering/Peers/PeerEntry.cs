namespace Discovery.Core.Rendering.Peers;

/// <summary>One instance of an app in a peer set: a line <c>&lt;app&gt; &lt;address&gt;:&lt;port&gt; &lt;weight&gt; &lt;instance-id&gt;</c>.</summary>
/// <param name="Address">An IPv4 literal or a bracketed IPv6 literal (<c>[fd00::5]</c>).</param>
internal sealed record PeerEntry(string App, string Address, int Port, int Weight, string InstanceId)
{
    public string Endpoint => $"{Address}:{Port}";
}
