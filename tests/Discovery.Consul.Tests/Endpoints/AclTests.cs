using System.Net;
using Discovery.Consul.Tests.Support;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Endpoints;

public sealed class AclTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    protected override ConsulTestServerOptions ServerOptions => new() { AclDefaultDeny = true };

    [Fact]
    public async Task Write_AnonymousThenWithToken_DeniedThenAccepted()
    {
        using var anonymous = new ConsulClient(new ConsulClientOptions { Address = Server.HttpAddress });
        var denied = await Assert.ThrowsAsync<ConsulApiException>(() => anonymous.KV.PutStringAsync("acl/k", "v"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.True(denied.IsPermissionDenied);
        Assert.Contains("/v1/kv/acl/k", denied.Message);

        Assert.True(await Client.KV.PutStringAsync("acl/k", "v")); // master token
        Assert.Equal("v", (await Client.KV.GetAsync("acl/k")).Value!.ValueAsString());
    }

    [Fact]
    public async Task Error_WrongToken_MessageNeverContainsToken()
    {
        var secret = Guid.NewGuid().ToString();
        using var wrong = Server.CreateClient(token: secret);
        var error = await Assert.ThrowsAsync<ConsulApiException>(() => wrong.KV.PutStringAsync("acl/x", "v"));
        Assert.DoesNotContain(secret, error.ToString());
        Assert.DoesNotContain(secret, error.ConsulMessage);
    }

    [Fact]
    public async Task PerRequestToken_OverridesClientToken()
    {
        using var anonymous = new ConsulClient(new ConsulClientOptions { Address = Server.HttpAddress });
        Assert.True(await anonymous.KV.PutStringAsync("acl/per-request", "v", new Queries.WriteOptions { Token = Server.MasterToken }));
    }
}
