using Discovery.Consul.Agent;
using Discovery.Consul.Http;
using Discovery.Consul.Queries;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.Health;

/// <summary>Health views of the catalog. All reads can block.</summary>
public sealed class HealthEndpoint
{
    private readonly ConsulTransport _transport;

    internal HealthEndpoint(ConsulTransport transport) => _transport = transport;

    /// <summary>Instances of a service with node and checks.</summary>
    /// <param name="service">Service name.</param>
    /// <param name="tag">Only instances with this tag.</param>
    /// <param name="passingOnly">Only instances whose every check passes (what a load balancer should route to).</param>
    /// <param name="options">Blocking/consistency options.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<QueryResult<IReadOnlyList<ServiceEntry>>> ServiceAsync(string service, string? tag = null, bool passingOnly = false, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryString().Add("tag", tag).Flag("passing", passingOnly);
        var result = await _transport.QueryAsync("/v1/health/service/" + ConsulPath.Segment(service), query, options,
            ConsulJsonContext.Default.ListServiceEntry, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<IReadOnlyList<ServiceEntry>>(result.Value, result.LastIndex, result.KnownLeader, result.LastContact);
    }

    /// <summary>Checks of every instance of a service.</summary>
    public Task<QueryResult<IReadOnlyList<HealthCheck>>> ChecksAsync(string service, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadChecksAsync("/v1/health/checks/" + ConsulPath.Segment(service), options, cancellationToken);

    /// <summary>Checks on one node (node checks and its services' checks).</summary>
    public Task<QueryResult<IReadOnlyList<HealthCheck>>> NodeAsync(string node, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadChecksAsync("/v1/health/node/" + ConsulPath.Segment(node), options, cancellationToken);

    /// <summary>Checks in a state: passing, warning, critical, or <see cref="CheckStatus.Any"/>.</summary>
    public Task<QueryResult<IReadOnlyList<HealthCheck>>> StateAsync(string state, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadChecksAsync("/v1/health/state/" + ConsulPath.Segment(state), options, cancellationToken);

    private async Task<QueryResult<IReadOnlyList<HealthCheck>>> ReadChecksAsync(string path, QueryOptions? options, CancellationToken cancellationToken)
    {
        var result = await _transport.QueryAsync(path, new QueryString(), options, ConsulJsonContext.Default.ListHealthCheck, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<IReadOnlyList<HealthCheck>>(result.Value, result.LastIndex, result.KnownLeader, result.LastContact);
    }
}
