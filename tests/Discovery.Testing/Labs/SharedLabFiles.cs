namespace Discovery.Testing.Labs;

/// <summary>
/// The repository files both labs must use unchanged, by path (repo-relative, '/' separators).
/// The VM lab's drift test asserts its provisioning references exactly these (plus
/// <see cref="VmLabOnly"/>); the local lab asserts the same list, so the two cannot drift apart.
/// </summary>
public static class SharedLabFiles
{
    /// <summary>Consul configs, ACL policies and nginx templates (nginx-templates/lua is a folder) shared by the VM and local labs.</summary>
    public static readonly string[] All =
    [
        "consul/server.hcl",
        "consul/client.hcl",
        "consul/acl/node-agent.hcl",
        "consul/acl/scaler.hcl",
        "consul/acl/renderer.hcl",
        "consul/acl/operator.hcl",
        "consul/acl/postgres.hcl",
        "consul/acl/todo-app.hcl",
        "consul/acl/prometheus.hcl",
        "consul/acl/scoped/scaler-node.hcl",
        "consul/acl/scoped/renderer-lb.hcl",
        "consul/acl/scoped/operator-app.hcl",
        "nginx-templates/nginx.conf",
        "nginx-templates/upstreams.ctmpl",
        "nginx-templates/peers.ctmpl",
        "nginx-templates/lua",
    ];

    /// <summary>Shared-folder files only the VM lab uses (the local lab renders with the agent).</summary>
    public static readonly string[] VmLabOnly =
    [
        "nginx-templates/consul-template.hcl",
    ];
}
