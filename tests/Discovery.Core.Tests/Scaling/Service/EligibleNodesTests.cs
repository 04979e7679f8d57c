using Discovery.Consul.Agent;
using Discovery.Consul.Catalog;
using Discovery.Consul.Health;
using Discovery.Core.Scaling.Service;

namespace Discovery.Core.Tests.Scaling.Service;

public sealed class EligibleNodesTests
{
    [Theory]
    [InlineData("web", "n1,n3")]
    [InlineData("api", "n2,n3")]
    [InlineData("we", "")]
    [InlineData("batch", "")]
    public void For_App_NodesWhoseAgentPassesAndOffersIt(string app, string expected)
    {
        ServiceEntry[] agents =
        [
            Agent("n3", "api, web", "passing"),
            Agent("n1", "web", "passing"),
            Agent("n2", "api", "passing"),
            Agent("n4", "web,batch", "critical"),
            Agent("n5", null, "passing"),
        ];

        Assert.Equal(expected, string.Join(",", EligibleNodes.For(app, agents)));
    }

    private static ServiceEntry Agent(string node, string? apps, string status) => new()
    {
        Node = new Node { Name = node },
        Service = new AgentService { ID = "discovery-agent-" + node, Service = "discovery-agent", Meta = apps is null ? null : new Dictionary<string, string> { ["apps"] = apps } },
        Checks = [new HealthCheck { Node = node, CheckID = "alive", Status = status }],
    };
}
