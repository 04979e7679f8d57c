using System.Net;
using System.Text;
using System.Text.Json;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// The ACL policies in consul/acl/ are real proof, not just syntax: the VM lab's own
/// acl-tokens.sh loads them into a real Consul server started from consul/server.hcl, creates
/// the role tokens exactly as in the VMs (and the local lab's LabAcl its own), and each token is then
/// allowed or denied the real API calls of <see cref="AclTable"/>.
/// (Consul accepts unknown rule blocks silently, so only behaviour shows a policy means what it says.)
/// </summary>
public sealed class AclPolicyTests(AclLabServer server) : IClassFixture<AclLabServer>
{
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
    [InlineData("prometheus")]
    public async Task AclTokensScript_PolicyFile_IsLoadedVerbatim(string policy)
    {
        using var response = await SendAsync("management", HttpMethod.Get, $"/v1/acl/policy/name/discovery-{policy}", null);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var expected = await File.ReadAllTextAsync(VmLabFiles.FullPath($"consul/acl/{policy}.hcl"));
        Assert.Equal(expected, json.RootElement.GetProperty("Rules").GetString());
    }

    [Theory]
    [InlineData("discovery-scaler-acltest", "consul/acl/scoped/scaler-node.hcl", "acltest")]
    [InlineData("discovery-renderer-acltest", "consul/acl/scoped/renderer-lb.hcl", "acltest")]
    [InlineData("discovery-renderer-lb1", "consul/acl/scoped/renderer-lb.hcl", "lb1")]
    [InlineData("discovery-operator-web", "consul/acl/scoped/operator-app.hcl", "web")]
    public async Task ScopedPolicy_BothLabs_IsTheTemplateForItsName(string policy, string template, string name)
    {
        using var response = await SendAsync("management", HttpMethod.Get, $"/v1/acl/policy/name/{policy}", null);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var expected = (await File.ReadAllTextAsync(VmLabFiles.FullPath(template))).Replace("@NAME@", name, StringComparison.Ordinal);
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

    public static TheoryData<string, string, string> TableRows()
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var lab in AclLabServer.Labs)
        {
            foreach (var row in AclTable.Rows.Where(row => AclLabServer.HasRole(lab, row.Role)))
            {
                rows.Add(lab, row.Role, row.Attempt);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(TableRows))]
    public async Task RoleToken_TableRow_ConsulAnswersAsTheTableSays(string lab, string role, string attempt)
    {
        var row = AclTable.Find(role, attempt);
        var path = server.Fill(lab, row.Path);

        using var response = await SendSecretAsync(server.RoleSecret(lab, role), new HttpMethod(row.Method), path, row.Body is null ? null : server.Fill(lab, row.Body));

        var status = response.StatusCode;
        var detail = $"{lab} lab: {role} {row.Method} {path} → {(int)status} {await response.Content.ReadAsStringAsync()}";
        if (row.Expect == AclExpectation.Denied)
        {
            Assert.True(status == HttpStatusCode.Forbidden, detail);
        }
        else
        {
            // A GET of a key nobody wrote is 404 when permitted (403 when not).
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, detail);
        }
    }

    [Fact]
    public void AclTable_Rows_AtLeastFortyAndEveryRoleTriesOthersJobs()
    {
        Assert.True(AclTable.Rows.Count >= 40, $"{AclTable.Rows.Count} rows");
        Assert.Equal(AclTable.Rows.Count, AclTable.Rows.Select(row => (row.Role, row.Attempt)).Distinct().Count());
        Assert.All(AclTable.Rows.GroupBy(row => row.Role).Where(group => group.Key != "anonymous"), group => Assert.Contains(group, row => row.Expect == AclExpectation.Denied));
        Assert.All(AclTable.Rows.Where(row => row.Expect == AclExpectation.AllowedConsulCannotPrevent), row => Assert.NotEmpty(row.Note));
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

    private Task<HttpResponseMessage> SendAsync(string tokenName, HttpMethod method, string path, string? body) =>
        SendSecretAsync(server.Secret(tokenName), method, path, body);

    private async Task<HttpResponseMessage> SendSecretAsync(string? secret, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, server.HttpAddress + path);
        if (secret is not null)
        {
            request.Headers.Add("X-Consul-Token", secret);
        }

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
