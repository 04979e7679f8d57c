using System.Net;
using System.Text;
using System.Text.Json;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// The ACL policies in consul/acl/ are real proof, not just syntax: the VM lab's own
/// acl-tokens.sh loads them into a real Consul server started from consul/server.hcl, creates
/// the role tokens exactly as in the VMs, and each token is then allowed or denied real API calls.
/// (Consul accepts unknown rule blocks silently, so only behaviour shows a policy means what it says.)
/// </summary>
public sealed class AclPolicyTests(AclLabServer server) : IClassFixture<AclLabServer>
{
    public enum Expect { Allowed, Denied }

    [Fact]
    public void AclTokensScript_RealServer_Succeeds()
    {
        Assert.True(server.FirstScriptRun.ExitCode == 0, "acl-tokens.sh: " + server.FirstScriptRun.Describe());
    }

    [Theory]
    [InlineData("node-agent")]
    [InlineData("scaler")]
    [InlineData("renderer")]
    [InlineData("operator")]
    [InlineData("postgres")]
    [InlineData("todo-app")]
    public async Task AclTokensScript_PolicyFile_IsLoadedVerbatim(string policy)
    {
        using var response = await SendAsync("management", HttpMethod.Get, $"/v1/acl/policy/name/discovery-{policy}", null);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var expected = await File.ReadAllTextAsync(VmLabFiles.FullPath($"consul/acl/{policy}.hcl"));
        Assert.Equal(expected, json.RootElement.GetProperty("Rules").GetString());
    }

    [Fact]
    public async Task AclTokensScript_SecondRun_SucceedsWithoutChanges()
    {
        using var before = await SendAsync("management", HttpMethod.Get, "/v1/acl/tokens", null);
        var tokensBefore = TokenAccessors(await before.Content.ReadAsStringAsync());

        var result = await server.RunAclTokensScriptAsync(CancellationToken.None);

        Assert.True(result.ExitCode == 0, "second acl-tokens.sh run: " + result.Describe());
        using var after = await SendAsync("management", HttpMethod.Get, "/v1/acl/tokens", null);
        Assert.Equal(tokensBefore, TokenAccessors(await after.Content.ReadAsStringAsync()));
    }

    [Theory]
    // node agent: its app (service identity) and itself; reads placement; no KV writes, no sessions.
    [InlineData("node-agent", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-acltest-9000","Port":9000}""", Expect.Allowed)]
    [InlineData("node-agent", "PUT", "/v1/agent/service/register", """{"Name":"discovery-agent","ID":"discovery-agent-acltest"}""", Expect.Allowed)]
    [InlineData("node-agent", "PUT", "/v1/agent/service/register", """{"Name":"lb","ID":"lb-by-node-agent"}""", Expect.Denied)]
    [InlineData("node-agent", "PUT", "/v1/agent/service/register", """{"Name":"other","ID":"other-by-node-agent"}""", Expect.Denied)]
    [InlineData("node-agent", "GET", "/v1/kv/discovery/apps/web/placement/acltest", null, Expect.Allowed)]
    [InlineData("node-agent", "PUT", "/v1/kv/discovery/apps/web/placement/acltest", "3", Expect.Denied)]
    [InlineData("node-agent", "PUT", "/v1/session/create", "{}", Expect.Denied)]
    // node agent: the drain handshake reads what each load balancer routes; it never writes it.
    [InlineData("node-agent", "GET", "/v1/kv/discovery/lb/acltest/routed", null, Expect.Allowed)]
    [InlineData("node-agent", "PUT", "/v1/kv/discovery/lb/acltest/routed", """{"instances":[]}""", Expect.Denied)]
    [InlineData("node-agent", "GET", "/v1/kv/discovery/apps/web/desired", null, Expect.Allowed)]
    // scaler: writes under discovery/apps/ only, sessions for the lock, a node-level TTL check.
    [InlineData("scaler", "PUT", "/v1/kv/discovery/apps/web/desired", "3", Expect.Allowed)]
    [InlineData("scaler", "PUT", "/v1/kv/discovery/apps/web/placement/acltest", "3", Expect.Allowed)]
    [InlineData("scaler", "PUT", "/v1/kv/discovery/lb/default-app", "web", Expect.Denied)]
    [InlineData("scaler", "GET", "/v1/kv/discovery/lb/default-app", null, Expect.Allowed)]
    [InlineData("scaler", "PUT", "/v1/session/create", "{}", Expect.Allowed)]
    [InlineData("scaler", "PUT", "/v1/agent/check/register", """{"ID":"scaler-alive","Name":"scaler alive","TTL":"10s"}""", Expect.Allowed)]
    [InlineData("scaler", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-scaler"}""", Expect.Denied)]
    [InlineData("scaler", "GET", "/v1/kv/discovery/lb/acltest/routed", null, Expect.Allowed)]
    [InlineData("scaler", "PUT", "/v1/kv/discovery/lb/acltest/routed", """{"instances":[]}""", Expect.Denied)]
    [InlineData("scaler", "GET", "/v1/catalog/service/lb", null, Expect.Allowed)]
    // renderer: the lb service; reads discovery/.
    [InlineData("renderer", "PUT", "/v1/agent/service/register", """{"Name":"lb","ID":"lb-acltest","Port":80}""", Expect.Allowed)]
    [InlineData("renderer", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-renderer"}""", Expect.Denied)]
    [InlineData("renderer", "GET", "/v1/kv/discovery/lb/default-app", null, Expect.Allowed)]
    [InlineData("renderer", "PUT", "/v1/kv/discovery/apps/web/desired", "3", Expect.Denied)]
    // renderer: publishes what it routes under discovery/lb/ (and nowhere else in KV).
    [InlineData("renderer", "PUT", "/v1/kv/discovery/lb/acltest/routed", """{"instances":["web-acltest-9000"],"at":"2026-01-01T00:00:00Z"}""", Expect.Allowed)]
    [InlineData("renderer", "GET", "/v1/kv/discovery/lb/acltest/routed", null, Expect.Allowed)]
    [InlineData("renderer", "PUT", "/v1/kv/discovery/apps/web/placement/acltest", "1", Expect.Denied)]
    [InlineData("renderer", "PUT", "/v1/kv/discovery/other", "x", Expect.Denied)]
    [InlineData("renderer", "PUT", "/v1/agent/service/register", """{"Name":"lb","ID":"lb-acltest-ttl","Port":80,"Meta":{"stub_status":"http://127.0.0.1:8090/nginx_status"},"Check":{"CheckID":"lb-acltest-ttl-alive","TTL":"10s"}}""", Expect.Allowed)]
    [InlineData("renderer", "PUT", "/v1/session/create", "{}", Expect.Denied)]
    // operator: scale/hold/policy, status reads; nothing that runs the fleet.
    [InlineData("operator", "PUT", "/v1/kv/discovery/apps/web/desired", "4", Expect.Allowed)]
    [InlineData("operator", "PUT", "/v1/kv/discovery/apps/web/hold", """{"count":4}""", Expect.Allowed)]
    [InlineData("operator", "PUT", "/v1/kv/discovery/lb/default-app", "web", Expect.Denied)]
    [InlineData("operator", "GET", "/v1/kv/discovery/lb/acltest/routed", null, Expect.Allowed)]
    [InlineData("operator", "GET", "/v1/operator/raft/configuration", null, Expect.Allowed)]
    [InlineData("operator", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-operator"}""", Expect.Denied)]
    [InlineData("operator", "PUT", "/v1/session/create", "{}", Expect.Denied)]
    [InlineData("operator", "GET", "/v1/acl/tokens", null, Expect.Denied)]
    // node agent: the Postgres member's service and state are not its business (pg-node-agent below).
    [InlineData("node-agent", "PUT", "/v1/agent/service/register", """{"Name":"pg","ID":"pg-by-node-agent","Port":5432}""", Expect.Denied)]
    [InlineData("node-agent", "PUT", "/v1/kv/discovery/pg/pg/state", "{}", Expect.Denied)]
    [InlineData("node-agent", "PUT", "/v1/agent/service/register", """{"Name":"todo","ID":"todo-acltest-9100","Port":9100}""", Expect.Allowed)]
    // pg node agent (a Postgres member's node): registers pg with its TTL role check and itself, no app;
    // as failover-leader contender: sessions, a node-level TTL check, the cluster's state and history;
    // reads the operator's switchover request, never writes it; nothing of the scaler's.
    [InlineData("pg-node-agent", "PUT", "/v1/agent/service/register", """{"Name":"pg","ID":"pg-acltest","Port":5432,"Tags":["primary"],"Check":{"CheckID":"pg-acltest:role","TTL":"10s"}}""", Expect.Allowed)]
    [InlineData("pg-node-agent", "PUT", "/v1/agent/service/register", """{"Name":"discovery-agent","ID":"discovery-agent-acltest-pg"}""", Expect.Allowed)]
    [InlineData("pg-node-agent", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-pg-node-agent"}""", Expect.Denied)]
    [InlineData("pg-node-agent", "PUT", "/v1/agent/service/register", """{"Name":"todo","ID":"todo-by-pg-node-agent"}""", Expect.Denied)]
    [InlineData("pg-node-agent", "PUT", "/v1/session/create", "{}", Expect.Allowed)]
    [InlineData("pg-node-agent", "PUT", "/v1/agent/check/register", """{"ID":"pg-leader-alive","Name":"pg failover leader alive","TTL":"10s"}""", Expect.Allowed)]
    [InlineData("pg-node-agent", "PUT", "/v1/kv/discovery/pg/pg/state", """{"generation":1}""", Expect.Allowed)]
    [InlineData("pg-node-agent", "PUT", "/v1/kv/discovery/pg/pg/history/000000000001", "{}", Expect.Allowed)]
    [InlineData("pg-node-agent", "GET", "/v1/kv/discovery/pg-requests/pg/switchover", null, Expect.Allowed)]
    [InlineData("pg-node-agent", "PUT", "/v1/kv/discovery/pg-requests/pg/switchover", """{"to":"acltest"}""", Expect.Denied)]
    [InlineData("pg-node-agent", "PUT", "/v1/kv/discovery/apps/web/placement/acltest", "1", Expect.Denied)]
    [InlineData("pg-node-agent", "PUT", "/v1/kv/discovery/lb/acltest/routed", """{"instances":[]}""", Expect.Denied)]
    // todo app: reads nothing but pg's health (a separate test shows it sees the members); writes nothing.
    [InlineData("todo-app", "GET", "/v1/kv/discovery/pg/pg/state", null, Expect.Denied)]
    [InlineData("todo-app", "GET", "/v1/kv/discovery/apps/web/desired", null, Expect.Denied)]
    [InlineData("todo-app", "PUT", "/v1/agent/service/register", """{"Name":"todo","ID":"todo-by-todo-app"}""", Expect.Denied)]
    [InlineData("todo-app", "PUT", "/v1/agent/service/register", """{"Name":"pg","ID":"pg-by-todo-app"}""", Expect.Denied)]
    [InlineData("todo-app", "PUT", "/v1/session/create", "{}", Expect.Denied)]
    [InlineData("todo-app", "PUT", "/v1/kv/discovery/pg-requests/pg/switchover", """{"to":"acltest"}""", Expect.Denied)]
    // operator: may ask for a switchover, never forge the state the failover leader writes.
    [InlineData("operator", "PUT", "/v1/kv/discovery/pg-requests/pg/switchover", """{"to":"acltest"}""", Expect.Allowed)]
    [InlineData("operator", "GET", "/v1/kv/discovery/pg/pg/state", null, Expect.Allowed)]
    [InlineData("operator", "PUT", "/v1/kv/discovery/pg/pg/state", """{"generation":9}""", Expect.Denied)]
    [InlineData("operator", "PUT", "/v1/kv/discovery/pg/pg/leader", "me", Expect.Denied)]
    // scaler and renderer: no say over the database.
    [InlineData("scaler", "PUT", "/v1/kv/discovery/pg/pg/state", "{}", Expect.Denied)]
    [InlineData("scaler", "PUT", "/v1/kv/discovery/pg-requests/pg/switchover", """{"to":"acltest"}""", Expect.Denied)]
    [InlineData("renderer", "PUT", "/v1/kv/discovery/pg/pg/state", "{}", Expect.Denied)]
    // the Consul agent's own token (node identity): its node, nothing in KV.
    [InlineData("consul-agent", "PUT", "/v1/agent/check/register", """{"ID":"node-check","Name":"node check","TTL":"10s"}""", Expect.Allowed)]
    [InlineData("consul-agent", "PUT", "/v1/kv/discovery/apps/web/desired", "3", Expect.Denied)]
    public async Task RoleToken_ApiCall_IsAllowedOrDeniedAsDesigned(string role, string method, string path, string? body, Expect expect)
    {
        var token = AclLabServer.SharedTokenNames.Contains(role) ? role : $"{role}-{AclLabServer.NodeName}";

        using var response = await SendAsync(token, new HttpMethod(method), path, body);

        var status = response.StatusCode;
        var detail = $"{role} {method} {path} → {(int)status} {await response.Content.ReadAsStringAsync()}";
        if (expect == Expect.Denied)
        {
            Assert.True(status == HttpStatusCode.Forbidden, detail);
        }
        else
        {
            // A GET of a key nobody wrote is 404 when permitted (403 when not).
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, detail);
        }
    }

    /// <summary>
    /// A denied catalog or health read is not a 403: Consul filters what the token may not see. So the
    /// todo app's one read is proven by content: it sees a registered pg member, and nothing else.
    /// </summary>
    [Fact]
    public async Task TodoAppToken_HealthQueries_SeePgMembersOnly()
    {
        using (var registered = await SendAsync("management", HttpMethod.Put, "/v1/agent/service/register", """{"Name":"pg","ID":"pg-acltest-visible","Port":5432,"Tags":["primary"]}"""))
        {
            registered.EnsureSuccessStatusCode();
        }

        using (var registered = await SendAsync("management", HttpMethod.Put, "/v1/agent/service/register", """{"Name":"web","ID":"web-acltest-hidden","Port":9000}"""))
        {
            registered.EnsureSuccessStatusCode();
        }

        using var pg = await SendAsync("todo-app", HttpMethod.Get, "/v1/health/service/pg", null);
        using var web = await SendAsync("todo-app", HttpMethod.Get, "/v1/health/service/web", null);
        using var webAsOperator = await SendAsync("operator", HttpMethod.Get, "/v1/health/service/web", null);

        Assert.Contains("pg-acltest-visible", await pg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("web-acltest-hidden", await web.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("web-acltest-hidden", await webAsOperator.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string tokenName, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, server.HttpAddress + path);
        request.Headers.Add("X-Consul-Token", server.Secret(tokenName));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await server.Http.SendAsync(request, CancellationToken.None);
    }

    private static List<string> TokenAccessors(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(token => token.GetProperty("AccessorID").GetString() ?? "")
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
