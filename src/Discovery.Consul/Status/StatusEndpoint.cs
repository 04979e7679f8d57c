using Discovery.Consul.Http;
using Discovery.Consul.Queries;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.Status;

/// <summary>Raft status: who leads, who votes.</summary>
public sealed class StatusEndpoint
{
    private readonly ConsulTransport _transport;

    internal StatusEndpoint(ConsulTransport transport) => _transport = transport;

    /// <summary>Raft address (ip:port) of the leader; empty while there is none.</summary>
    public async Task<string> LeaderAsync(CancellationToken cancellationToken = default) =>
        (await _transport.QueryAsync("/v1/status/leader", new QueryString(), QueryOptions.Default, ConsulJsonContext.Default.String, "", cancellationToken).ConfigureAwait(false)).Value ?? "";

    /// <summary>Raft addresses of the voting servers.</summary>
    public async Task<IReadOnlyList<string>> PeersAsync(CancellationToken cancellationToken = default) =>
        (await _transport.QueryAsync("/v1/status/peers", new QueryString(), QueryOptions.Default, ConsulJsonContext.Default.ListString, [], cancellationToken).ConfigureAwait(false)).Value ?? [];
}
