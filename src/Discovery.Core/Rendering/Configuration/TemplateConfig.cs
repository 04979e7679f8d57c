namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// One <c>template</c>: render <see cref="Source"/>, and when the output changed, check the
/// candidate, swap it in as <see cref="Destination"/>, then run <see cref="Command"/> (once per
/// burst, however many templates ask for the same command).
/// </summary>
/// <param name="Source">Absolute path of the template file.</param>
/// <param name="Destination">Absolute path of the file written.</param>
/// <param name="Perms">Mode of the written file; null keeps an existing file's mode (0644 for a new one).</param>
/// <param name="Check">Run against the candidate before the swap (path in $DISCOVERY_CANDIDATE); a non-zero exit keeps the old file.</param>
/// <param name="Command">Run after a change was swapped in; a failure restores the previous file.</param>
/// <param name="CommandTimeout">Longest the check or the command may run before it is killed.</param>
/// <param name="Nginx">When set, this template feeds nginx: check = <c>nginx -t</c> of the whole config with the candidate in place, command = reload.</param>
/// <param name="Routed">Whether this template's passing instances are what the load balancer routes to (published as routed).</param>
/// <param name="CreateDestinationFolder">Create the destination's folder when missing (consul-template's create_dest_dirs).</param>
/// <param name="Wait">This template's own quiescence (consul-template's template-level wait); null = the renderer's.</param>
/// <param name="Peers">When set, the output is a peer set pushed to nginx without a reload (no check or command).</param>
public sealed record TemplateConfig(
    string Source,
    string Destination,
    UnixFileMode? Perms,
    CommandLine? Check,
    CommandLine? Command,
    TimeSpan CommandTimeout,
    NginxControlConfig? Nginx,
    bool Routed,
    bool CreateDestinationFolder,
    QuiescenceWait? Wait = null,
    PeerPushConfig? Peers = null)
{
    /// <summary>consul-template's default command timeout.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A template that feeds nginx: validated with nginx -t, installed with a reload, and what the load balancer routes.</summary>
    public static TemplateConfig ForNginx(string source, string destination, NginxControlConfig nginx) =>
        new(source, destination, null, null, null, DefaultCommandTimeout, nginx, Routed: true, CreateDestinationFolder: false);

    /// <summary>A peer set for nginx's peer endpoint, saved where nginx loads it at start; what the load balancer routes.</summary>
    public static TemplateConfig ForPeers(string source, string destination, PeerPushConfig peers, QuiescenceWait? wait) =>
        new(source, destination, null, null, null, DefaultCommandTimeout, Nginx: null, Routed: true, CreateDestinationFolder: false, wait, peers);
}
