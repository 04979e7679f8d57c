using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Discovery.Consul.Http;
using Discovery.Consul.Queries;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.KV;

/// <summary>The key/value store. Reads can block; conditional writes return false when the condition fails.</summary>
public sealed class KVEndpoint
{
    private readonly ConsulTransport _transport;

    internal KVEndpoint(ConsulTransport transport) => _transport = transport;

    /// <summary>One key, or a null value when it does not exist (the index still lets you block for its creation).</summary>
    public async Task<QueryResult<KVPair?>> GetAsync(string key, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _transport.QueryAsync("/v1/kv/" + ConsulPath.Key(key), new QueryString(), options,
            ConsulJsonContext.Default.ListKVPair, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<KVPair?>(result.Value.FirstOrDefault(), result.LastIndex, result.KnownLeader, result.LastContact);
    }

    /// <summary>Every key under <paramref name="prefix"/> with its value.</summary>
    public async Task<QueryResult<IReadOnlyList<KVPair>>> ListAsync(string prefix, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _transport.QueryAsync("/v1/kv/" + ConsulPath.Key(prefix), new QueryString().Flag("recurse", true), options,
            ConsulJsonContext.Default.ListKVPair, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<IReadOnlyList<KVPair>>(result.Value, result.LastIndex, result.KnownLeader, result.LastContact);
    }

    /// <summary>Key names under <paramref name="prefix"/>; with a <paramref name="separator"/>, only up to the next one ("folders").</summary>
    public async Task<QueryResult<IReadOnlyList<string>>> KeysAsync(string prefix, string? separator = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _transport.QueryAsync("/v1/kv/" + ConsulPath.Key(prefix), new QueryString().Flag("keys", true).Add("separator", separator), options,
            ConsulJsonContext.Default.ListString, [], cancellationToken).ConfigureAwait(false);
        return new QueryResult<IReadOnlyList<string>>(result.Value, result.LastIndex, result.KnownLeader, result.LastContact);
    }

    /// <summary>Writes a value unconditionally.</summary>
    public Task<bool> PutAsync(string key, byte[] value, ulong? flags = null, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        PutCoreAsync(key, value, new QueryString().Add("flags", Format(flags)), options, cancellationToken);

    /// <summary>Writes UTF-8 text.</summary>
    public Task<bool> PutStringAsync(string key, string value, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        PutAsync(key, Encoding.UTF8.GetBytes(value), null, options, cancellationToken);

    /// <summary>Writes a value as JSON.</summary>
    public Task<bool> PutJsonAsync<T>(string key, T value, JsonTypeInfo<T> type, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, type), null, options, cancellationToken);

    /// <summary>Check-and-set: writes only if the key's ModifyIndex is <paramref name="modifyIndex"/> (0: only if absent).</summary>
    public Task<bool> CasAsync(string key, byte[] value, ulong modifyIndex, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        PutCoreAsync(key, value, new QueryString().Add("cas", Format(modifyIndex)), options, cancellationToken);

    /// <summary>Takes the lock on a key for <paramref name="session"/>; false when another session holds it or lock-delay applies.</summary>
    public Task<bool> AcquireAsync(string key, string session, byte[]? value = null, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        PutCoreAsync(key, value, new QueryString().Add("acquire", session), options, cancellationToken);

    /// <summary>Releases the lock on a key held by <paramref name="session"/> (no lock-delay applies).</summary>
    public Task<bool> ReleaseAsync(string key, string session, byte[]? value = null, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        PutCoreAsync(key, value, new QueryString().Add("release", session), options, cancellationToken);

    /// <summary>Deletes a key.</summary>
    public Task<bool> DeleteAsync(string key, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCoreAsync(key, new QueryString(), options, cancellationToken);

    /// <summary>Deletes a key only if its ModifyIndex is <paramref name="modifyIndex"/>.</summary>
    public Task<bool> DeleteCasAsync(string key, ulong modifyIndex, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCoreAsync(key, new QueryString().Add("cas", Format(modifyIndex)), options, cancellationToken);

    /// <summary>Deletes every key under <paramref name="prefix"/>.</summary>
    public Task<bool> DeleteTreeAsync(string prefix, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCoreAsync(prefix, new QueryString().Flag("recurse", true), options, cancellationToken);

    private Task<bool> PutCoreAsync(string key, byte[]? value, QueryString query, WriteOptions? options, CancellationToken cancellationToken) =>
        _transport.WriteAsync(HttpMethod.Put, "/v1/kv/" + ConsulPath.Key(key), query, new ByteArrayContent(value ?? []), options,
            ConsulJsonContext.Default.Boolean, cancellationToken);

    private Task<bool> DeleteCoreAsync(string key, QueryString query, WriteOptions? options, CancellationToken cancellationToken) =>
        _transport.WriteAsync(HttpMethod.Delete, "/v1/kv/" + ConsulPath.Key(key), query, null, options,
            ConsulJsonContext.Default.Boolean, cancellationToken);

    private static string? Format(ulong? value) => value?.ToString(CultureInfo.InvariantCulture);
}
