using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Discovery.Consul.Health;
using Discovery.Consul.Http;
using Discovery.Consul.Queries;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.Agent;

/// <summary>The local agent: service and check registration, TTL updates, maintenance, membership.</summary>
public sealed class AgentEndpoint
{
    private readonly ConsulTransport _transport;

    internal AgentEndpoint(ConsulTransport transport) => _transport = transport;

    /// <summary>Registers (or replaces) a service instance with its checks.</summary>
    /// <param name="registration">The instance.</param>
    /// <param name="replaceExistingChecks">Remove checks of an earlier registration that are not in this one.</param>
    /// <param name="options">Token/datacenter overrides.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task RegisterServiceAsync(ServiceRegistration registration, bool replaceExistingChecks = false, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        await _transport.WriteAsync(HttpMethod.Put, "/v1/agent/service/register",
            new QueryString().Add("replace-existing-checks", replaceExistingChecks ? "true" : null),
            ConsulTransport.Json(registration, ConsulJsonContext.Default.ServiceRegistration),
            options ?? WriteOptions.Default, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a service instance and its checks from the agent (and, by anti-entropy, the catalog).</summary>
    public Task DeregisterServiceAsync(string serviceId, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.WriteAsync(HttpMethod.Put, "/v1/agent/service/deregister/" + ConsulPath.Segment(serviceId), new QueryString(), null,
            options ?? WriteOptions.Default, cancellationToken);

    /// <summary>Registers a check on its own (a node check, or one attached to <see cref="CheckDefinition.ServiceId"/>).</summary>
    public Task RegisterCheckAsync(CheckDefinition check, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentException.ThrowIfNullOrEmpty(check.Name, "check.Name");
        // A check inside a service registration names its ID "CheckID"; this endpoint insists on "ID".
        var body = JsonSerializer.SerializeToNode(check, ConsulJsonContext.Default.CheckDefinition)!.AsObject();
        if (body.Remove("CheckID", out var id))
        {
            body["ID"] = id;
        }

        var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        return _transport.WriteAsync(HttpMethod.Put, "/v1/agent/check/register", new QueryString(), content, options ?? WriteOptions.Default, cancellationToken);
    }

    /// <summary>Removes a check registered on its own.</summary>
    public Task DeregisterCheckAsync(string checkId, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.WriteAsync(HttpMethod.Put, "/v1/agent/check/deregister/" + ConsulPath.Segment(checkId), new QueryString(), null,
            options ?? WriteOptions.Default, cancellationToken);

    /// <summary>Sets a TTL check's status and output (output is kept, unlike pass/warn/fail notes, up to 4 KB).</summary>
    public Task UpdateTtlCheckAsync(string checkId, string status, string output = "", WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (status is not (CheckStatus.Passing or CheckStatus.Warning or CheckStatus.Critical))
        {
            throw new ArgumentException($"'{status}' is not a check status (passing, warning, critical)", nameof(status));
        }

        return _transport.WriteAsync(HttpMethod.Put, "/v1/agent/check/update/" + ConsulPath.Segment(checkId), new QueryString(),
            ConsulTransport.Json(new CheckUpdate(status, output), ConsulJsonContext.Default.CheckUpdate), options ?? WriteOptions.Default, cancellationToken);
    }

    /// <summary>Marks a TTL check passing.</summary>
    public Task PassTtlAsync(string checkId, string output = "", WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateTtlCheckAsync(checkId, CheckStatus.Passing, output, options, cancellationToken);

    /// <summary>Marks a TTL check warning.</summary>
    public Task WarnTtlAsync(string checkId, string output = "", WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateTtlCheckAsync(checkId, CheckStatus.Warning, output, options, cancellationToken);

    /// <summary>Marks a TTL check critical.</summary>
    public Task FailTtlAsync(string checkId, string output = "", WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateTtlCheckAsync(checkId, CheckStatus.Critical, output, options, cancellationToken);

    /// <summary>Puts an instance into maintenance: a critical check that takes it out of every passing set.</summary>
    public Task EnableServiceMaintenanceAsync(string serviceId, string reason, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.WriteAsync(HttpMethod.Put, "/v1/agent/service/maintenance/" + ConsulPath.Segment(serviceId),
            new QueryString().Add("enable", "true").Add("reason", reason), null, options ?? WriteOptions.Default, cancellationToken);

    /// <summary>Takes an instance out of maintenance.</summary>
    public Task DisableServiceMaintenanceAsync(string serviceId, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.WriteAsync(HttpMethod.Put, "/v1/agent/service/maintenance/" + ConsulPath.Segment(serviceId),
            new QueryString().Add("enable", "false"), null, options ?? WriteOptions.Default, cancellationToken);

    /// <summary>The agent's own configuration and membership.</summary>
    public async Task<AgentSelf> SelfAsync(CancellationToken cancellationToken = default) =>
        (await _transport.QueryAsync("/v1/agent/self", new QueryString(), null, ConsulJsonContext.Default.AgentSelf, new AgentSelf(), cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Gossip members as this agent sees them (LAN pool).</summary>
    public async Task<IReadOnlyList<AgentMember>> MembersAsync(CancellationToken cancellationToken = default) =>
        (await _transport.QueryAsync("/v1/agent/members", new QueryString(), null, ConsulJsonContext.Default.ListAgentMember, [], cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Services registered on this agent, by instance ID.</summary>
    public Task<IReadOnlyDictionary<string, AgentService>> ServicesAsync(string? filter = null, CancellationToken cancellationToken = default) =>
        ReadMapAsync("/v1/agent/services", filter, ConsulJsonContext.Default.DictionaryStringAgentService, cancellationToken);

    /// <summary>Checks registered on this agent, by check ID, with their current state.</summary>
    public Task<IReadOnlyDictionary<string, HealthCheck>> ChecksAsync(string? filter = null, CancellationToken cancellationToken = default) =>
        ReadMapAsync("/v1/agent/checks", filter, ConsulJsonContext.Default.DictionaryStringHealthCheck, cancellationToken);

    /// <summary>One service on this agent, or null. Supports blocking (the agent's own, hash-based index).</summary>
    public Task<QueryResult<AgentService?>> ServiceAsync(string serviceId, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.QueryAsync<AgentService?>("/v1/agent/service/" + ConsulPath.Segment(serviceId), new QueryString(), options,
            ConsulJsonContext.Default.AgentService, null, cancellationToken);

    private async Task<IReadOnlyDictionary<string, T>> ReadMapAsync<T>(string path, string? filter, JsonTypeInfo<Dictionary<string, T>> type, CancellationToken cancellationToken)
    {
        var result = await _transport.QueryAsync(path, new QueryString(), new QueryOptions { Filter = filter }, type, [], cancellationToken).ConfigureAwait(false);
        return result.Value;
    }
}
