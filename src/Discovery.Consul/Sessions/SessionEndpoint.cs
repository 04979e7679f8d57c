using System.Net;
using Discovery.Consul.Http;
using Discovery.Consul.Queries;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.Sessions;

/// <summary>Sessions: the liveness handle behind locks.</summary>
public sealed class SessionEndpoint
{
    private readonly ConsulTransport _transport;

    internal SessionEndpoint(ConsulTransport transport) => _transport = transport;

    /// <summary>Creates a session and returns its ID.</summary>
    public async Task<string> CreateAsync(SessionRequest request, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await _transport.WriteAsync(HttpMethod.Put, "/v1/session/create", new QueryString(),
            ConsulTransport.Json(request, ConsulJsonContext.Default.SessionRequest), options, ConsulJsonContext.Default.SessionCreated, cancellationToken).ConfigureAwait(false);
        return created.ID;
    }

    /// <summary>Resets a session's TTL. Returns null when the session no longer exists (it was invalidated).</summary>
    public async Task<SessionEntry?> RenewAsync(string sessionId, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await _transport.WriteAsync(HttpMethod.Put, "/v1/session/renew/" + ConsulPath.Segment(sessionId), new QueryString(), null,
            options ?? WriteOptions.Default, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return response.Status == HttpStatusCode.NotFound
            ? null
            : ConsulTransport.Decode(response, ConsulJsonContext.Default.ListSessionEntry, "/v1/session/renew").FirstOrDefault();
    }

    /// <summary>Destroys a session; keys it held are released (or deleted, per its behavior).</summary>
    public Task<bool> DestroyAsync(string sessionId, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.WriteAsync(HttpMethod.Put, "/v1/session/destroy/" + ConsulPath.Segment(sessionId), new QueryString(), null, options,
            ConsulJsonContext.Default.Boolean, cancellationToken);

    /// <summary>One session, or a null value when it does not exist.</summary>
    public async Task<QueryResult<SessionEntry?>> InfoAsync(string sessionId, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _transport.QueryAsync("/v1/session/info/" + ConsulPath.Segment(sessionId), new QueryString(), options,
            ConsulJsonContext.Default.ListSessionEntry, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<SessionEntry?>(result.Value?.FirstOrDefault(), result.LastIndex, result.KnownLeader, result.LastContact);
    }

    /// <summary>All sessions.</summary>
    public Task<QueryResult<IReadOnlyList<SessionEntry>>> ListAsync(QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadListAsync("/v1/session/list", options, cancellationToken);

    /// <summary>Sessions of one node.</summary>
    public Task<QueryResult<IReadOnlyList<SessionEntry>>> NodeAsync(string node, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadListAsync("/v1/session/node/" + ConsulPath.Segment(node), options, cancellationToken);

    private async Task<QueryResult<IReadOnlyList<SessionEntry>>> ReadListAsync(string path, QueryOptions? options, CancellationToken cancellationToken)
    {
        var result = await _transport.QueryAsync(path, new QueryString(), options, ConsulJsonContext.Default.ListSessionEntry, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<IReadOnlyList<SessionEntry>>(result.Value ?? [], result.LastIndex, result.KnownLeader, result.LastContact);
    }
}
