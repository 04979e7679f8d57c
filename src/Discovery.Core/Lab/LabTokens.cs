namespace Discovery.Core.Lab;

/// <summary>
/// Every secret of one lab, generated up front so the Consul agents can be given their agent
/// tokens in their private config before the tokens exist (they retry until the ACL objects are
/// created). Kept only in 0600 files under the lab folder; never logged. <see cref="PeerPush"/> is
/// not a Consul token: it is what the renderer shows nginx's peer endpoint.
/// </summary>
internal sealed record LabTokens(
    string Management,
    string Operator,
    string Renderer,
    IReadOnlyDictionary<string, string> ConsulAgents,
    IReadOnlyDictionary<string, string> NodeAgents,
    IReadOnlyDictionary<string, string> Scalers,
    string TodoApp,
    string PeerPush)
{
    public static LabTokens Generate(LabTopology topology) => new(
        New(),
        New(),
        New(),
        topology.All.ToDictionary(host => host.Name, _ => New()),
        topology.AppNodes.ToDictionary(host => host.Name, _ => New()),
        topology.AppNodes.Where(host => host.RunsScaler).ToDictionary(host => host.Name, _ => New()),
        New(),
        New());

    private static string New() => Guid.NewGuid().ToString();
}
