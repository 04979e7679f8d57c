using Discovery.Consul;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Install;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// The render loop: render from the watched catalog, wait for complete data, let bursts settle
/// (wait min/max), skip output identical to the installed file, install safely, reload, and then
/// publish which instances this load balancer routes to. Failures keep the last good file and are
/// retried on the next change.
/// </summary>
internal sealed class RendererService
{
    /// <summary>How soon a failed publication of the routed instances is tried again.</summary>
    public static readonly TimeSpan PublishRetryDelay = TimeSpan.FromSeconds(1);

    private readonly CompiledTemplate _template;
    private readonly ConsulTemplateDataSource _data;
    private readonly SafeConfigInstaller _installer;
    private readonly QuiescenceWaiter _waiter;
    private readonly RoutedInstancesPublisher? _publisher;
    private readonly ILogger _logger;
    private IReadOnlyList<string>? _published;
    private long _renders;
    private long _installs;
    private long _reloads;
    private long _skips;
    private long _failures;
    private string? _lastError;

    public RendererService(
        CompiledTemplate template,
        ConsulTemplateDataSource data,
        SafeConfigInstaller installer,
        QuiescenceWait wait,
        RoutedInstancesPublisher? publisher,
        ILogger logger,
        TimeProvider time)
    {
        _template = template;
        _data = data;
        _installer = installer;
        _waiter = new QuiescenceWaiter(data, wait, time);
        _publisher = publisher;
        _logger = logger;
    }

    /// <summary>Complete renders (with all data loaded).</summary>
    public long Renders => Interlocked.Read(ref _renders);

    /// <summary>Outputs validated and written over the target.</summary>
    public long Installs => Interlocked.Read(ref _installs);

    /// <summary>Successful nginx reloads.</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Renders identical to the installed file (no write, no reload).</summary>
    public long Skips => Interlocked.Read(ref _skips);

    /// <summary>Template errors, rejected configs, failed writes or reloads.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Why the last failure happened (nginx's own message when nginx refused); null after a success.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>The instance IDs last published as routed, or null before the first publication.</summary>
    public IReadOnlyList<string>? PublishedRoutedInstances => Volatile.Read(ref _published);

    /// <summary>
    /// The template, data source, installer and publisher for <paramref name="config"/>. With a peer
    /// target the structure names no instance, so the peer target publishes what is routed instead.
    /// </summary>
    public static RendererService Create(RendererConfig config, CompiledTemplate template, ConsulClient client, ConsulTemplateDataSource data, ILoggerFactory loggers, TimeProvider time) =>
        new(
            template,
            data,
            new SafeConfigInstaller(new NginxController(config.Nginx), config.Output),
            config.Wait,
            config.Peers is null ? new RoutedInstancesPublisher(client, config.Prefix, config.Name, time) : null,
            loggers.CreateLogger<RendererService>(),
            time);

    /// <summary>Runs until cancelled (then throws <see cref="OperationCanceledException"/>).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? pendingRouted = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var version = _data.Version;
            var snapshot = _data.Snapshot();
            TemplateRenderResult result;
            try
            {
                result = _template.Render(snapshot);
            }
            catch (TemplateException error)
            {
                Fail($"template failed with the current catalog: {error.Message}");
                await _data.WaitForChangeAsync(version, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Only a complete render knows every dependency; an incomplete one must not drop watches.
            _data.Track(result.Dependencies, removeUnused: result.IsComplete);
            if (!result.IsComplete)
            {
                _logger.LogDebug("Waiting for data: {Missing}", string.Join(", ", result.Missing));
                await _data.WaitForChangeAsync(version, cancellationToken).ConfigureAwait(false);
                continue;
            }

            Interlocked.Increment(ref _renders);
            var outcome = await _installer.InstallAsync(result.Output!, cancellationToken).ConfigureAwait(false);
            if (Record(outcome))
            {
                var routed = snapshot.RoutedInstanceIds(result.Dependencies);
                if (_published is null || !_published.SequenceEqual(routed))
                {
                    pendingRouted = routed;
                }
            }

            if (pendingRouted is not null && await TryPublishAsync(pendingRouted, cancellationToken).ConfigureAwait(false))
            {
                pendingRouted = null;
            }

            await _waiter.WaitForNextRenderAsync(version, pendingRouted is not null ? PublishRetryDelay : null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts the outcome; true when the installed file now equals the render.</summary>
    private bool Record(InstallOutcome outcome)
    {
        switch (outcome.Result)
        {
            case InstallResult.Unchanged:
                Interlocked.Increment(ref _skips);
                _logger.LogDebug("Rendered output unchanged; no write, no reload");
                return true;
            case InstallResult.Installed:
                Interlocked.Increment(ref _installs);
                Volatile.Write(ref _lastError, null);
                _logger.LogInformation("Installed {Target} (nginx not running: nothing to reload)", _installer.Target);
                return true;
            case InstallResult.InstalledAndReloaded:
                Interlocked.Increment(ref _installs);
                Interlocked.Increment(ref _reloads);
                Volatile.Write(ref _lastError, null);
                _logger.LogInformation("Installed {Target} and reloaded nginx", _installer.Target);
                return true;
            default:
                Fail($"{outcome.Error}; keeping the last good {_installer.Target}, will retry on the next change");
                return false;
        }
    }

    private void Fail(string message)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastError, message);
        _logger.LogError("{Error}", message);
    }

    private async Task<bool> TryPublishAsync(IReadOnlyList<string> routed, CancellationToken cancellationToken)
    {
        if (_publisher is null)
        {
            Volatile.Write(ref _published, routed);
            return true;
        }

        try
        {
            await _publisher.PublishAsync(routed, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _published, routed);
            return true;
        }
        catch (Exception error) when (error is ConsulApiException or ConsulUnavailableException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Publishing routed instances to {Key} failed, retrying: {Error}", _publisher.Key, error.Message);
            return false;
        }
    }
}
