namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// The peer target (renderer config <c>peers:</c>): a second template, normally
/// nginx-templates/peers.ctmpl, whose output is pushed to nginx's peer endpoint instead of being
/// installed and reloaded, so instances coming and going never reload nginx.
/// </summary>
/// <param name="Template">Absolute path of the peer-set template.</param>
/// <param name="Output">The file nginx loads at start (its prefix's <c>peers/peers.txt</c>); holds the last set nginx accepted.</param>
/// <param name="Endpoint">nginx's peer endpoint, on a loopback address.</param>
/// <param name="SecretFile">The bearer secret nginx expects (its prefix's <c>peers/push.secret</c>).</param>
/// <param name="Wait">Quiescence for pushes: a push costs about a millisecond, so far shorter than the structure's.</param>
/// <param name="RequestTimeout">Longest one push or read-back may take.</param>
/// <param name="VerifyInterval">How often nginx's own view is compared with the last push when nothing changes (an nginx restarted from an older file is pushed to again).</param>
public sealed record PeerTargetConfig(
    string Template,
    string Output,
    Uri Endpoint,
    string SecretFile,
    QuiescenceWait Wait,
    TimeSpan RequestTimeout,
    TimeSpan VerifyInterval)
{
    public static readonly QuiescenceWait DefaultWait = new(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250));

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultVerifyInterval = TimeSpan.FromSeconds(5);

    /// <summary>Shorter secrets are refused here and by nginx (peer_endpoint.lua).</summary>
    public const int MinSecretLength = 16;
}
