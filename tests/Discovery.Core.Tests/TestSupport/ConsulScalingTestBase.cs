using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.TestSupport;

/// <summary>One real Consul agent per test class, plus helpers to fake nothing but register what node agents would.</summary>
public abstract class ConsulScalingTestBase(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    /// <summary>Registers this Consul node's <c>discovery-agent</c>, passing, offering <paramref name="apps"/>.</summary>
    protected Task RegisterNodeAgentAsync(params string[] apps) =>
        Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = "discovery-agent-" + Server.NodeName,
            Name = "discovery-agent",
            Meta = new Dictionary<string, string> { ["apps"] = string.Join(",", apps) },
            Checks = [new CheckDefinition { Name = "agent alive", Ttl = TimeSpan.FromHours(1), Status = "passing" }],
        });
}
