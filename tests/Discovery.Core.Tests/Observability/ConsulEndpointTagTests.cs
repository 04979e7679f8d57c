using Discovery.Consul.Telemetry;

namespace Discovery.Core.Tests.Observability;

public sealed class ConsulEndpointTagTests
{
    [Theory]
    [InlineData("/v1/kv/discovery/apps/web/desired", "kv")]
    [InlineData("/v1/kv/discovery/apps/web/desired?index=5", "kv")]
    [InlineData("/v1/txn", "txn")]
    [InlineData("/v1/health/service/web", "health/service")]
    [InlineData("/v1/agent/check/pass/web-n1-9000:alive", "agent/check")]
    [InlineData("/v1/agent/service/register", "agent/service")]
    [InlineData("/v1/session/renew/0b6a1f", "session/renew")]
    [InlineData("/v1/status/leader", "status/leader")]
    [InlineData("/", "other")]
    public void EndpointOf_ApiPath_KeepsNoKeysNamesOrIds(string path, string expected) =>
        Assert.Equal(expected, ConsulRequestMeter.EndpointOf(path));
}
