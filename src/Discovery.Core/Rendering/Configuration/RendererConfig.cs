using Discovery.Core.Configuration;

namespace Discovery.Core.Rendering.Configuration;

/// <summary>The built-in renderer's configuration (<c>agent render --config</c>), validated as a whole by <see cref="RendererConfigLoader"/>.</summary>
/// <param name="Name">This load balancer's name: service ID <c>lb-&lt;name&gt;</c> and KV <c>&lt;prefix&gt;/lb/&lt;name&gt;/routed</c>.</param>
/// <param name="Consul">How to reach Consul (same shape as the node agent's).</param>
/// <param name="Prefix">KV prefix, normally <c>discovery</c>.</param>
/// <param name="Template">Absolute path of the <c>.ctmpl</c> file.</param>
/// <param name="Output">Absolute path of the file nginx includes.</param>
/// <param name="Wait">Quiescence: quiet time after a change, and the longest a burst may delay a render.</param>
/// <param name="Nginx">How to validate and reload nginx.</param>
/// <param name="Register">How to register this load balancer as service <c>lb</c>; null = do not register.</param>
/// <param name="Peers">Where instance changes go without a reload; null = the template alone names the instances (every change reloads).</param>
public sealed record RendererConfig(
    string Name,
    ConsulConnectionConfig Consul,
    string Prefix,
    string Template,
    string Output,
    QuiescenceWait Wait,
    NginxControlConfig Nginx,
    LoadBalancerRegistrationConfig? Register,
    PeerTargetConfig? Peers = null);
