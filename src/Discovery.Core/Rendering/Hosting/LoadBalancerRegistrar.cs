using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.Rendering.Configuration;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// Registers this load balancer as service <c>lb</c> (ID <c>lb-&lt;name&gt;</c>, meta
/// <c>stub_status</c>) with a TTL check it keeps passing while the renderer runs, registers again
/// when Consul forgot it (restart), and deregisters on exit.
/// </summary>
internal sealed partial class LoadBalancerRegistrar
{
    public static readonly TimeSpan CheckTtl = TimeSpan.FromSeconds(10);

    private readonly ConsulClient _client;
    private readonly string _name;
    private readonly LoadBalancerRegistrationConfig _config;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public LoadBalancerRegistrar(ConsulClient client, string name, LoadBalancerRegistrationConfig config, ILogger logger, TimeProvider time)
    {
        _client = client;
        _name = name;
        _config = config;
        _logger = logger;
        _time = time;
    }

    /// <summary>"host:port" of this renderer's /metrics, put in the registration's meta; null = none.</summary>
    public string? MetricsAddress { get; init; }

    public string ServiceId => ServiceIdOf(_name);

    /// <summary>The `lb` service ID of the load balancer named <paramref name="name"/> (its routed key's &lt;name&gt;).</summary>
    public static string ServiceIdOf(string name) => $"lb-{name}";

    public string CheckId => $"lb-{_name}-alive";

    /// <summary>Keeps the registration alive until cancelled, then deregisters (best effort, bounded).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var registered = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (!registered)
                    {
                        await RegisterAsync(cancellationToken).ConfigureAwait(false);
                        registered = true;
                        Log.Registered(_logger, ServiceId, _config.StubStatusUrl);
                    }

                    await _client.Agent.PassTtlAsync(CheckId, "renderer running", cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (ConsulException error) when (!cancellationToken.IsCancellationRequested)
                {
                    // A restarted Consul agent forgets the service (the TTL update then fails): register again.
                    Log.KeepFailed(_logger, ServiceId, error.Message);
                    registered = false;
                }

                await Task.Delay(CheckTtl / 3, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await DeregisterAsync().ConfigureAwait(false);
        }
    }

    private Task RegisterAsync(CancellationToken cancellationToken) =>
        _client.Agent.RegisterServiceAsync(
            new ServiceRegistration
            {
                ID = ServiceId,
                Name = "lb",
                Address = _config.Address,
                Port = _config.Port,
                Tags = ["discovery-lb"],
                Meta = new Dictionary<string, string> { ["stub_status"] = _config.StubStatusUrl, [ServiceRegistrationFactory.ManagedByKey] = ServiceRegistrationFactory.ManagedByValue, [Observability.MonitoringConfig.MetaKey] = MetricsAddress ?? "" },
                Checks =
                [
                    new CheckDefinition
                    {
                        CheckId = CheckId,
                        Name = "renderer alive",
                        Ttl = CheckTtl,
                        DeregisterCriticalServiceAfter = TimeSpan.FromMinutes(10),
                    },
                ],
            },
            replaceExistingChecks: true,
            cancellationToken: cancellationToken);

    private async Task DeregisterAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _client.Agent.DeregisterServiceAsync(ServiceId, cancellationToken: timeout.Token).ConfigureAwait(false);
            Log.Deregistered(_logger, ServiceId);
        }
        catch (Exception error) when (error is ConsulException or OperationCanceledException)
        {
            Log.DeregisterFailed(_logger, ServiceId, error.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Registered load balancer {ServiceId} (stub_status {Url})")]
        public static partial void Registered(ILogger logger, string serviceId, string url);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping {ServiceId} registered failed, retrying: {Error}")]
        public static partial void KeepFailed(ILogger logger, string serviceId, string error);

        [LoggerMessage(Level = LogLevel.Information, Message = "Deregistered load balancer {ServiceId}")]
        public static partial void Deregistered(ILogger logger, string serviceId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deregister {ServiceId}: {Error}")]
        public static partial void DeregisterFailed(ILogger logger, string serviceId, string error);
    }
}
