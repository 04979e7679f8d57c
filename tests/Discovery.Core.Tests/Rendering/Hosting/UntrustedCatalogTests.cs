using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Peers;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Hosting;

/// <summary>
/// Issue 12: whatever a token with service:write puts into the catalog or KV, nothing of it
/// reaches nginx's config or peer set unless it is valid for its place. One real Consul, one real
/// nginx and the real render loop (upstreams.ctmpl + peers.ctmpl, as the labs run them) for the
/// whole payload table: each hostile instance is registered through /v1/catalog/register (what an
/// attacker's token can call), then `nginx -T` and nginx's own peer set are searched for every
/// payload, the renderer's log for each skip, and the good instances must still answer.
/// </summary>
public sealed class UntrustedCatalogTests(ITestOutputHelper output)
{
    private const string Injection = "::1]:1 max_fails=0;\n}\nserver { listen 6666; location / { root /etc; autoindex on; } }\nupstream injected {\n server [::1";

    /// <summary>field, payload: one hostile instance of app "web" each, every other field valid.</summary>
    public static readonly (string Field, string Payload)[] Payloads =
    [
        ("Address", Injection),
        ("Address", "127.0.0.1:1 backup"),
        ("Address", "127.0.0.1;"),
        ("Address", "127.0.0.1\nweb 6.6.6.6:80 1 evil-line"),
        ("Address", "[::1]"),
        ("Address", "\"127.0.0.1\""),
        ("Address", "host#name"),
        ("Address", "{evil}"),
        ("Address", new string('a', 300) + ".example"),
        ("ID", "web-hostile-1\nweb 6.6.6.6:80 1 evil-id"),
        ("ID", "web-hostile-2;"),
        ("ID", "web {hostile}"),
        ("ID", "web-hostile-3#"),
        ("ID", "'web-hostile-4'"),
        ("ID", new string('i', 200)),
        ("Name", "web;\n} server { listen 6667; } #"),
        ("Name", "evil app"),
        ("Name", "evil{"),
        ("Name", "\"evil\""),
        ("Name", new string('n', 200)),
        ("Node", "node\nevil"),
        ("Node", "node;evil"),
        ("Node", "node {evil}"),
        ("Tags", "discovery;\n}"),
        ("Tags", "tag with spaces"),
        ("Tags", "#tag"),
        ("Meta", "1;\n} server { listen 6668; }"),
        ("Meta", "\"quoted\""),
        ("Meta", new string('m', 600)),
    ];

    private const string DefaultAppPayload = "web;\n} server { listen 6669; } #";

    [Fact]
    public async Task Run_InjectionPayloadsInEveryField_NoneReachesNginxAndGoodInstancesStillRouted()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var logs = new CapturingLoggerFactory(output, "renderer");
        rig.Loggers = logs;
        var accepted = new List<(string Field, string Payload, string Id)>();
        for (var i = 0; i < Payloads.Length; i++)
        {
            var (field, payload) = Payloads[i];
            var id = field == "ID" ? payload : $"web-hostile-node-{7000 + i}";
            if (await RegisterHostileAsync(rig, field, payload, id, 7000 + i))
            {
                accepted.Add((field, payload, id));
            }
        }

        await rig.Client.KV.PutStringAsync("discovery/lb/default-app", DefaultAppPayload);
        var a = await rig.AddBackendAsync();
        var b = await rig.AddBackendAsync();
        rig.StartRenderer();

        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        await RendererTestRig.EventuallyAsync(
            () => Task.FromResult(accepted.All(row => SkipLogged(logs, row))),
            TimeSpan.FromSeconds(10),
            () => "not every accepted payload was logged as skipped: " + string.Join(", ", accepted.Where(row => !SkipLogged(logs, row)).Select(row => $"{row.Field}={CatalogValueRules.Quote(row.Payload)}")));

        // Consul itself refuses some of these; the table must still reach every field through it.
        output.WriteLine($"Consul accepted {accepted.Count} of {Payloads.Length} payloads: refused {string.Join(", ", Payloads.Except(accepted.Select(row => (row.Field, row.Payload))).Select(row => $"{row.Field}={CatalogValueRules.Quote(row.Payload)}"))}");
        Assert.All(new[] { "Address", "ID", "Name", "Node", "Tags", "Meta" }, field => Assert.Contains(accepted, row => row.Field == field));

        var config = await NginxDumpAsync(rig.Nginx);
        var peers = (await new PeerEndpointClient(new HttpClient(), rig.Nginx.PeersEndpoint, NginxTestServer.PushSecret, TimeSpan.FromSeconds(5), TimeProvider.System)
            .ReadAsync(CancellationToken.None)).Text;
        foreach (var text in new[] { config, peers, await File.ReadAllTextAsync(rig.Nginx.PeersFile) })
        {
            foreach (var (field, payload, _) in accepted.Append(("default-app", DefaultAppPayload, "")))
            {
                Assert.False(text.Contains(payload, StringComparison.Ordinal), $"{field} payload {CatalogValueRules.Quote(payload)} reached nginx");
            }

            foreach (var marker in new[] { "6.6.6.6", "autoindex", "injected", "evil", "hostile", "backup" })
            {
                Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
            }
        }

        Assert.Equal(PeerSetText.Format(new[] { a, b }.Select(backend => new PeerEntry("web", rig.BackendAddress.ToString(), backend.Port, 1, backend.Name)).OrderBy(peer => peer.InstanceId, StringComparer.Ordinal)),
            PeerSetText.Format(PeerSetText.Parse(peers, out _)!.Peers.OrderBy(peer => peer.InstanceId, StringComparer.Ordinal)));
        Assert.Contains("default web;", config, StringComparison.Ordinal);
        Assert.True(logs.Contains(LogLevel.Warning, "key discovery/lb/default-app: default app"), "the bad default-app was not logged");
        Assert.True(rig.Data.RejectedEntries >= accepted.Count, $"counted {rig.Data.RejectedEntries} rejected entries for {accepted.Count} hostile instances");
        Assert.Equal(rig.Data.RejectedEntries, rig.Health.Snapshot(DateTimeOffset.UtcNow).RejectedEntries);
    }

    [Fact]
    public async Task Run_AnotherNodesInstanceReRegisteredToAForeignAddress_NginxNeverRoutesThere()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var logs = new CapturingLoggerFactory(output, "renderer");
        rig.Loggers = logs;
        var a = await rig.AddBackendAsync();
        var b = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        var structure = await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile);
        var endpoint = new PeerEndpointClient(new HttpClient(), rig.Nginx.PeersEndpoint, NginxTestServer.PushSecret, TimeSpan.FromSeconds(5), TimeProvider.System);

        // What Consul lets a token with service:write on "web" do to any existing node (it asks for
        // node:write only when the node itself changes): the same ID, port and checks, another address.
        using var http = new HttpClient { BaseAddress = rig.Consul.HttpAddress };
        var forged = new JsonObject
        {
            ["Node"] = rig.Consul.NodeName,
            ["Address"] = rig.Consul.Address.ToString(),
            ["Service"] = new JsonObject { ["ID"] = a.Name, ["Service"] = "web", ["Address"] = "6.6.6.6", ["Port"] = a.Port, ["Tags"] = new JsonArray("discovery") },
            ["SkipNodeUpdate"] = true,
        };
        using (var response = await http.PutAsync("/v1/catalog/register", new StringContent(forged.ToJsonString())))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var health = (await rig.Client.Health.ServiceAsync("web")).Value;
        Assert.Contains(health, entry => entry.Service.ID == a.Name && entry.Service.Address == "6.6.6.6"); // Consul took it
        var seen = new List<string>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < until)
        {
            seen.Add((await endpoint.ReadAsync(CancellationToken.None)).Text);
            await Task.Delay(100);
        }

        Assert.All(seen, view => Assert.DoesNotContain("6.6.6.6", view, StringComparison.Ordinal));
        Assert.All(seen, view => Assert.Contains(b.Name, view, StringComparison.Ordinal));
        Assert.Equal(structure, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
        Assert.DoesNotContain("6.6.6.6", await File.ReadAllTextAsync(rig.Nginx.PeersFile), StringComparison.Ordinal);
        Assert.True(logs.Contains(LogLevel.Warning, $"Not believable, so not routed (peers.ctmpl): instance \"{a.Name}\""), "the forged instance was not logged");
    }

    /// <summary>A bad service name is dropped from <c>services</c> (its instances are never queried); any other row skips its instance.</summary>
    private static bool SkipLogged(CapturingLoggerFactory logs, (string Field, string Payload, string Id) row) =>
        logs.Contains(LogLevel.Warning, row.Field == "Name"
            ? "Skipped untrusted Consul data: service " + CatalogValueRules.Quote(row.Payload)
            : "Skipped untrusted Consul data: instance " + CatalogValueRules.Quote(row.Id));

    /// <summary>
    /// Registers one instance on a catalog-only node (an agent's own node would be cleaned up by
    /// anti-entropy) with a passing check; false when Consul refuses the write.
    /// </summary>
    private async Task<bool> RegisterHostileAsync(RendererTestRig rig, string field, string payload, string id, int port)
    {
        var node = field == "Node" ? payload : "hostile-node";
        var service = new JsonObject
        {
            ["ID"] = id,
            ["Service"] = field == "Name" ? payload : "web",
            ["Address"] = field == "Address" ? payload : "127.0.0.1",
            ["Port"] = port,
            ["Tags"] = field == "Tags" ? new JsonArray("discovery", payload) : new JsonArray("discovery"),
            ["Meta"] = new JsonObject { ["managed-by"] = "discovery", ["version"] = field == "Meta" ? payload : "1.0.0" },
        };
        var body = new JsonObject
        {
            ["Node"] = node,
            ["Address"] = "127.0.0.1",
            ["Service"] = service,
            ["Check"] = new JsonObject { ["Node"] = node, ["CheckID"] = $"alive-{port}", ["Name"] = "alive", ["Status"] = "passing", ["ServiceID"] = id },
        };
        using var http = new HttpClient { BaseAddress = rig.Consul.HttpAddress };
        using var response = await http.PutAsync("/v1/catalog/register", new StringContent(body.ToJsonString()));
        if (!response.IsSuccessStatusCode)
        {
            output.WriteLine($"Consul refused {field}={CatalogValueRules.Quote(payload)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return response.IsSuccessStatusCode;
    }

    private static async Task<string> NginxDumpAsync(NginxTestServer nginx)
    {
        var result = await Cli.Wrap(ToolPaths.Nginx).WithArguments(["-T", "-p", nginx.Prefix + "/", "-c", nginx.ConfigFile, "-e", nginx.ErrorLog])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput;
    }
}
