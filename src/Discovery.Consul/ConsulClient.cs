using Discovery.Consul.Agent;
using Discovery.Consul.Catalog;
using Discovery.Consul.Health;
using Discovery.Consul.Http;
using Discovery.Consul.KV;
using Discovery.Consul.Sessions;
using Discovery.Consul.Status;
using Discovery.Consul.Txn;

namespace Discovery.Consul;

/// <summary>
/// Typed client for Consul's HTTP API, one property per endpoint. Thread-safe; create one per
/// Consul address and token and share it (it owns an HTTP connection pool).
/// </summary>
public sealed class ConsulClient : IDisposable
{
    private readonly ConsulTransport _transport;

    /// <summary>Creates a client.</summary>
    /// <param name="options">Address, token, timeouts, read retries.</param>
    /// <param name="handler">For measurements and tests of the transport only.</param>
    /// <param name="time">Clock of request timeouts and retry delays; the system clock when null.</param>
    public ConsulClient(ConsulClientOptions options, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _transport = new ConsulTransport(options, handler, time ?? TimeProvider.System);
        Agent = new AgentEndpoint(_transport);
        Catalog = new CatalogEndpoint(_transport);
        Health = new HealthEndpoint(_transport);
        KV = new KVEndpoint(_transport);
        Sessions = new SessionEndpoint(_transport);
        Status = new StatusEndpoint(_transport);
        Txn = new TxnEndpoint(_transport);
    }

    /// <summary>The options this client was created with.</summary>
    public ConsulClientOptions Options { get; }

    /// <summary>The local agent.</summary>
    public AgentEndpoint Agent { get; }

    /// <summary>The catalog.</summary>
    public CatalogEndpoint Catalog { get; }

    /// <summary>Health views.</summary>
    public HealthEndpoint Health { get; }

    /// <summary>Key/value store.</summary>
    public KVEndpoint KV { get; }

    /// <summary>Sessions.</summary>
    public SessionEndpoint Sessions { get; }

    /// <summary>Raft status.</summary>
    public StatusEndpoint Status { get; }

    /// <summary>Transactions.</summary>
    public TxnEndpoint Txn { get; }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();
}
