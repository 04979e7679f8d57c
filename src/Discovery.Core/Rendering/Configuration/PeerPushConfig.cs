namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// A template whose output is a peer set (nginx-templates/peers.ctmpl) handed to a running nginx
/// over its loopback peer endpoint instead of a reload, so instances coming and going never reload
/// nginx. The destination is the file nginx loads at start; it holds the set nginx last accepted.
/// </summary>
/// <param name="Endpoint">nginx's peer endpoint, on a loopback address.</param>
/// <param name="SecretFile">The bearer secret nginx expects (its prefix's <c>peers/push.secret</c>).</param>
/// <param name="PidFile">nginx's pid file: no running nginx = the set is only saved, for its start.</param>
/// <param name="RequestTimeout">Longest one push or read-back may take.</param>
/// <param name="VerifyInterval">How often nginx's own view is compared with the rendered set when nothing changes (an nginx restarted from an older file, or changed by someone else, is pushed to again).</param>
public sealed record PeerPushConfig(Uri Endpoint, string SecretFile, string PidFile, TimeSpan RequestTimeout, TimeSpan VerifyInterval)
{
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Long enough that the read-backs (which nginx's stub_status counts like requests) stay negligible: 2 a minute.</summary>
    public static readonly TimeSpan DefaultVerifyInterval = TimeSpan.FromSeconds(30);

    /// <summary>Shorter secrets are refused here and by nginx (peer_endpoint.lua).</summary>
    public const int MinSecretLength = 16;
}
