using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Lab;

/// <summary>
/// Creates the lab's ACL objects with the management token: every shared policy (consul/acl/*.hcl,
/// unchanged), the scoped ones (consul/acl/scoped/*.hcl, one per scaler node, per load balancer and
/// per app) and one token per role with the pre-generated secrets, scoped exactly as
/// consul/README.md specifies (node agent: service identity per app, plus discovery-postgres and a
/// node identity on a Postgres member's node; scaler and Consul agents: node identity; todo app:
/// read-only) — the same layout as the VM lab's acl-tokens.sh. Uses Consul's ACL HTTP API directly:
/// the typed client deliberately has no ACL management.
/// </summary>
internal sealed class LabAcl(Uri serverAddress, LabConfigFiles files, LabOptions options, LabTopology topology, ILogger logger)
{
    public async Task CreateAllAsync(LabTokens tokens, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = serverAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Consul-Token", tokens.Management);

        foreach (var (name, file) in LabConfigFiles.AclPolicies)
        {
            var rules = await File.ReadAllTextAsync(files.Shared(file), cancellationToken).ConfigureAwait(false);
            await PutAsync(http, "/v1/acl/policy", new JsonObject { ["Name"] = name, ["Description"] = "Discovery " + file, ["Rules"] = rules }, cancellationToken).ConfigureAwait(false);
        }

        var scoped = 0;
        async Task<string> ScopedAsync(string prefix, string name)
        {
            var template = await File.ReadAllTextAsync(files.Shared(LabConfigFiles.ScopedAclPolicies[prefix]), cancellationToken).ConfigureAwait(false);
            await PutAsync(http, "/v1/acl/policy", new JsonObject
            {
                ["Name"] = prefix + name,
                ["Description"] = "Discovery " + LabConfigFiles.ScopedAclPolicies[prefix] + " for " + name,
                ["Rules"] = template.Replace(LabConfigFiles.ScopedAclPlaceholder, name, StringComparison.Ordinal),
            }, cancellationToken).ConfigureAwait(false);
            scoped++;
            return prefix + name;
        }

        foreach (var host in topology.All)
        {
            await CreateTokenAsync(http, $"consul agent {host.Name}", tokens.ConsulAgents[host.Name], [], [], [host.Name], cancellationToken).ConfigureAwait(false);
        }

        await CreateTokenAsync(http, "prometheus", tokens.Prometheus, ["discovery-prometheus"], [], [], cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> apps = options.WithPostgres ? [options.App, LabPostgres.TodoApp] : [options.App];
        List<string> operatorPolicies = ["discovery-operator"];
        foreach (var app in apps)
        {
            operatorPolicies.Add(await ScopedAsync("discovery-operator-", app).ConfigureAwait(false));
        }

        await CreateTokenAsync(http, "operator", tokens.Operator, operatorPolicies, [], [], cancellationToken).ConfigureAwait(false);
        var rendererLb = await ScopedAsync("discovery-renderer-", topology.LoadBalancer.Name).ConfigureAwait(false);
        await CreateTokenAsync(http, "renderer " + topology.LoadBalancer.Name, tokens.Renderer, ["discovery-renderer", rendererLb], [], [], cancellationToken).ConfigureAwait(false);
        foreach (var node in topology.AppNodes)
        {
            // A member registers "pg" and holds the failover lock, whose TTL check is a node check.
            await CreateTokenAsync(http, "node agent " + node.Name, tokens.NodeAgents[node.Name],
                node.RunsPostgres ? ["discovery-node-agent", "discovery-postgres"] : ["discovery-node-agent"], apps,
                node.RunsPostgres ? [node.Name] : [], cancellationToken).ConfigureAwait(false);
        }

        if (options.WithPostgres)
        {
            await CreateTokenAsync(http, "todo app", tokens.TodoApp, ["discovery-todo-app"], [], [], cancellationToken).ConfigureAwait(false);
        }

        foreach (var (node, secret) in tokens.Scalers)
        {
            var scalerNode = await ScopedAsync("discovery-scaler-", node).ConfigureAwait(false);
            await CreateTokenAsync(http, "scaler " + node, secret, ["discovery-scaler", scalerNode], [], [node], cancellationToken).ConfigureAwait(false);
        }

        LabLog.AclReady(logger, LabConfigFiles.AclPolicies.Count + scoped, tokens.ConsulAgents.Count, tokens.NodeAgents.Count, tokens.Scalers.Count);
    }

    private Task CreateTokenAsync(HttpClient http, string description, string secret, IReadOnlyList<string> policies, IReadOnlyList<string> services, IReadOnlyList<string> nodes, CancellationToken cancellationToken) =>
        PutAsync(http, "/v1/acl/token", new JsonObject
        {
            ["Description"] = "Discovery lab: " + description,
            ["SecretID"] = secret,
            ["Policies"] = new JsonArray([.. policies.Select(name => (JsonNode)new JsonObject { ["Name"] = name })]),
            ["ServiceIdentities"] = new JsonArray([.. services.Select(name => (JsonNode)new JsonObject { ["ServiceName"] = name })]),
            ["NodeIdentities"] = new JsonArray([.. nodes.Select(name => (JsonNode)new JsonObject { ["NodeName"] = name, ["Datacenter"] = options.Datacenter })]),
        }, cancellationToken);

    private static async Task PutAsync(HttpClient http, string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(path, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The body is Consul's error text; the request (with secrets) is never echoed.
            var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"Consul refused PUT {path} ({(int)response.StatusCode}): {error.Trim()}");
        }
    }
}
