using Discovery.Consul.Http;
using Discovery.Consul.Queries;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.Catalog;

/// <summary>The cluster-wide catalog: every service and node, regardless of health. All reads can block.</summary>
public sealed class CatalogEndpoint
{
    private readonly ConsulTransport _transport;

    internal CatalogEndpoint(ConsulTransport transport) => _transport = transport;

    /// <summary>Service names with the union of their tags.</summary>
    public async Task<QueryResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>> ServicesAsync(QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _transport.QueryAsync("/v1/catalog/services", new QueryString(), options,
            ConsulJsonContext.Default.DictionaryStringListString, [], cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, IReadOnlyList<string>> services = result.Value.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)(pair.Value ?? []), StringComparer.Ordinal);
        return new QueryResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(services, result.LastIndex, result.KnownLeader, result.LastContact);
    }

    /// <summary>Instances of one service, optionally only those with <paramref name="tag"/>.</summary>
    public async Task<QueryResult<IReadOnlyList<CatalogService>>> ServiceAsync(string service, string? tag = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _transport.QueryAsync("/v1/catalog/service/" + ConsulPath.Segment(service), new QueryString().Add("tag", tag), options,
            ConsulJsonContext.Default.ListCatalogService, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<IReadOnlyList<CatalogService>>(result.Value, result.LastIndex, result.KnownLeader, result.LastContact);
    }

    /// <summary>All nodes.</summary>
    public async Task<QueryResult<IReadOnlyList<Node>>> NodesAsync(QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _transport.QueryAsync("/v1/catalog/nodes", new QueryString(), options, ConsulJsonContext.Default.ListNode, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<IReadOnlyList<Node>>(result.Value, result.LastIndex, result.KnownLeader, result.LastContact);
    }

    /// <summary>Every known datacenter (GET /v1/catalog/datacenters). This endpoint cannot block: poll it.</summary>
    public async Task<IReadOnlyList<string>> DatacentersAsync(CancellationToken cancellationToken = default)
    {
        var result = await _transport.QueryAsync("/v1/catalog/datacenters", new QueryString(), QueryOptions.Default,
            ConsulJsonContext.Default.ListString, [], cancellationToken).ConfigureAwait(false);
        return result.Value;
    }

    /// <summary>One node with its services, or a null value when the node is unknown.</summary>
    public Task<QueryResult<CatalogNode?>> NodeAsync(string node, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.QueryAsync<CatalogNode?>("/v1/catalog/node/" + ConsulPath.Segment(node), new QueryString(), options,
            ConsulJsonContext.Default.CatalogNode, null, cancellationToken);
}
