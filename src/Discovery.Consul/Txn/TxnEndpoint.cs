using System.Net;
using Discovery.Consul.Http;
using Discovery.Consul.KV;
using Discovery.Consul.Queries;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.Txn;

/// <summary>Atomic multi-key transactions (PUT /v1/txn): the basis of fenced writes.</summary>
public sealed class TxnEndpoint
{
    /// <summary>Consul's limit on operations per transaction.</summary>
    public const int MaxOperations = 64;

    private readonly ConsulTransport _transport;

    internal TxnEndpoint(ConsulTransport transport) => _transport = transport;

    /// <summary>Runs the operations atomically. A rolled-back transaction (409) is a result, not an exception.</summary>
    public async Task<TxnResult> ExecuteAsync(IReadOnlyList<TxnOperation> operations, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count is 0 or > MaxOperations)
        {
            throw new ArgumentException($"a transaction takes 1 to {MaxOperations} operations, got {operations.Count}", nameof(operations));
        }

        var response = await _transport.WriteAsync(HttpMethod.Put, "/v1/txn", new QueryString(),
            ConsulTransport.Json(operations.ToList(), ConsulJsonContext.Default.ListTxnOperation),
            options ?? WriteOptions.Default, cancellationToken, HttpStatusCode.Conflict).ConfigureAwait(false);
        var wire = ConsulTransport.Decode(response, ConsulJsonContext.Default.TxnWireResponse, "/v1/txn");
        var results = (wire.Results ?? []).Select(result => result.KV).OfType<KVPair>().ToList();
        var errors = wire.Errors ?? [];
        return new TxnResult(response.Status != HttpStatusCode.Conflict && errors.Count == 0, results, errors);
    }
}
