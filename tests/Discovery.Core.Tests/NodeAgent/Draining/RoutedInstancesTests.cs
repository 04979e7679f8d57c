using System.Text;
using Discovery.Consul.KV;
using Discovery.Core.NodeAgent.Draining;

namespace Discovery.Core.Tests.NodeAgent.Draining;

public sealed class RoutedInstancesTests
{
    private static KVPair Pair(string key, string value) => new() { Key = key, Value = Encoding.UTF8.GetBytes(value) };

    public static TheoryData<KVPair[], bool?> Cases => new()
    {
        { [], null },
        { [Pair("discovery/lb/lb1/config", "x")], null },
        { [Pair("discovery/lb/lb1/routed", """{"instances":["web-n1-9000","web-n1-9001"]}""")], true },
        { [Pair("discovery/lb/lb1/routed", """{"instances":["web-n1-9001"]}""")], false },
        { [Pair("discovery/lb/lb1/routed", """{"instances":[]}"""), Pair("discovery/lb/lb2/routed", """{"instances":["web-n1-9000"]}""")], true },
        { [Pair("discovery/lb/lb1/routed", """{"instances":[]}"""), Pair("discovery/lb/lb2/routed", """{"instances":["web-n1-90000"]}""")], false },
        // Unreadable documents count as still routing: the drain timeout bounds the wait.
        { [Pair("discovery/lb/lb1/routed", "not json")], true },
        { [Pair("discovery/lb/lb1/routed", """{"routed":["web-n1-9000"]}""")], true },
        { [Pair("discovery/lb/lb1/routed", "")], true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsRouted_LoadBalancerKeys_TrueFalseOrNoBalancer(KVPair[] keys, bool? expected)
    {
        Assert.Equal(expected, RoutedInstances.IsRouted(keys, "web-n1-9000"));
    }
}
