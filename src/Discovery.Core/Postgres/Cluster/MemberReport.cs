using System.Globalization;
using System.Net;
using Discovery.Consul.Agent;
using Discovery.Consul.Health;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Postgres.Member;

namespace Discovery.Core.Postgres.Cluster;

/// <summary>A member as its <c>pg</c> registration shows it, validated: it comes from the catalog.</summary>
/// <param name="Passing">Every check of the instance (and its node) passes.</param>
/// <param name="CheckOutput">The role check's output (lag, reason), for status and logs.</param>
public sealed record MemberReport(MemberEndpoint Endpoint, string State, long Generation, WalPosition? FinalLsn, bool BootstrapPrimary, bool Passing, string CheckOutput)
{
    public string Node => Endpoint.Node;

    /// <summary>The report, or null and why the entry is unusable.</summary>
    public static MemberReport? TryRead(ServiceEntry entry, out string? error)
    {
        var meta = entry.Service.Meta ?? new Dictionary<string, string>();
        string Meta(string key) => meta.TryGetValue(key, out var value) ? value : "";
        var node = Meta(MemberRegistration.NodeKey);
        var address = entry.EffectiveAddress;
        error = node switch
        {
            _ when Meta("managed-by") != MemberRegistration.ManagedBy => "not registered by a Discovery node agent",
            _ when !NodeAgentConfigLoader.NamePattern().IsMatch(node) => $"meta node \"{node}\" is not a node name",
            _ when !IPAddress.TryParse(address, out _) => $"address \"{address}\" is not an IP address",
            _ when entry.Service.Port is < 1 or > 65535 => $"port {entry.Service.Port} is invalid",
            _ when !MemberState.All.Contains(Meta(MemberRegistration.StateKey)) => $"state \"{Meta(MemberRegistration.StateKey)}\" is unknown",
            _ when !long.TryParse(Meta(MemberRegistration.GenerationKey), NumberStyles.None, CultureInfo.InvariantCulture, out _) => "generation is not a number",
            _ => null,
        };
        if (error is not null)
        {
            return null;
        }

        WalPosition? finalLsn = WalPosition.TryParse(Meta(MemberRegistration.FinalLsnKey), out var position) ? position : null;
        var output = entry.Checks.FirstOrDefault(check => check.ServiceID == entry.Service.ID)?.Output ?? "";
        return new MemberReport(
            new MemberEndpoint(node, address, entry.Service.Port),
            Meta(MemberRegistration.StateKey),
            long.Parse(Meta(MemberRegistration.GenerationKey), CultureInfo.InvariantCulture),
            finalLsn,
            Meta(MemberRegistration.BootstrapRoleKey) == "primary",
            entry.AggregatedStatus == CheckStatus.Passing,
            output);
    }
}
