using Discovery.Consul;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Peers;

/// <summary>
/// The peer loop of <c>agent render</c>: render the peer-set template from the watched catalog,
/// push it to nginx when it changed (no reload), and publish <c>routed</c> from what nginx itself
/// reports. It pushes its current set as soon as it has one (so a restarted renderer corrects
/// nginx at once), retries a failed push every second, and every <c>verifyInterval</c> without a
/// change compares nginx's view with its last push (an nginx restarted from an older file is
/// pushed to again).
/// </summary>
internal sealed partial class PeerSetService
{
    /// <summary>How soon a failed push or publication is tried again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly CompiledTemplate _template;
    private readonly ConsulTemplateDataSource _data;
    private readonly PeerSetInstaller _installer;
    private readonly QuiescenceWaiter _waiter;
    private readonly TimeSpan _verifyInterval;
    private readonly RoutedInstancesPublisher? _publisher;
    private readonly ILogger _logger;
    private string? _applied;
    private string? _appliedCanonical;
    private IReadOnlyList<string>? _published;
    private long _pushes;
    private long _saves;
    private long _failures;
    private long _corrections;
    private string? _lastError;

    public PeerSetService(
        CompiledTemplate template,
        ConsulTemplateDataSource data,
        PeerSetInstaller installer,
        QuiescenceWaiter waiter,
        TimeSpan verifyInterval,
        RoutedInstancesPublisher? publisher,
        ILogger logger)
    {
        _template = template;
        _data = data;
        _installer = installer;
        _waiter = waiter;
        _verifyInterval = verifyInterval;
        _publisher = publisher;
        _logger = logger;
    }

    /// <summary>Peer sets nginx accepted: instance changes routed without a reload.</summary>
    public long Pushes => Interlocked.Read(ref _pushes);

    /// <summary>Peer sets saved for an nginx that was not running.</summary>
    public long Saves => Interlocked.Read(ref _saves);

    /// <summary>Template errors, refused or undelivered pushes.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Times nginx's view differed from the last push and the set was pushed again.</summary>
    public long Corrections => Interlocked.Read(ref _corrections);

    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Runs until cancelled (then throws <see cref="OperationCanceledException"/>).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? pendingRouted = null;
        var retry = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var version = _data.Version;
            var output = Render();
            if (output is not null && (retry || !string.Equals(output, _applied, StringComparison.Ordinal)))
            {
                var routed = await ApplyAsync(output, cancellationToken).ConfigureAwait(false);
                retry = routed is null;
                if (routed is not null && (_published is null || !_published.SequenceEqual(routed)))
                {
                    pendingRouted = routed;
                }
            }

            if (pendingRouted is not null && await TryPublishAsync(pendingRouted, cancellationToken).ConfigureAwait(false))
            {
                pendingRouted = null;
            }

            var wakeAfter = retry || pendingRouted is not null ? RetryDelay : _verifyInterval;
            if (!await _waiter.WaitForNextRenderAsync(version, wakeAfter, cancellationToken).ConfigureAwait(false) && !retry && pendingRouted is null)
            {
                retry = await DiffersFromNginxAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The rendered peer set; null when the template failed or data is still loading.</summary>
    private string? Render()
    {
        TemplateRenderResult result;
        try
        {
            result = _template.Render(_data.Snapshot());
        }
        catch (TemplateException error)
        {
            Fail($"peer template failed with the current catalog: {error.Message}");
            return null;
        }

        // Only a complete render knows every dependency; an incomplete one must not drop watches.
        _data.Track(result.Dependencies, removeUnused: result.IsComplete);
        if (!result.IsComplete)
        {
            Log.WaitingForData(_logger, string.Join(", ", result.Missing));
            return null;
        }

        return result.Output;
    }

    /// <summary>Hands nginx the set; the instance IDs it routes to now, or null when it must be retried.</summary>
    private async Task<IReadOnlyList<string>?> ApplyAsync(string output, CancellationToken cancellationToken)
    {
        var outcome = await _installer.InstallAsync(output, cancellationToken).ConfigureAwait(false);
        foreach (var problem in outcome.Problems)
        {
            Log.LineSkipped(_logger, problem);
        }

        switch (outcome.Result)
        {
            case PeerInstallResult.Pushed:
                Interlocked.Increment(ref _pushes);
                Log.Pushed(_logger, outcome.Routed.Count, _installer.Endpoint.Endpoint);
                if (outcome.Error is not null)
                {
                    Log.SaveFailed(_logger, outcome.Error);
                }

                break;
            case PeerInstallResult.Saved:
                Interlocked.Increment(ref _saves);
                Log.Saved(_logger, outcome.Routed.Count, _installer.SavedFile);
                break;
            default:
                if (outcome.Unreachable)
                {
                    Interlocked.Increment(ref _failures);
                    Volatile.Write(ref _lastError, outcome.Error);
                    Log.Unreachable(_logger, outcome.Error ?? "");
                }
                else
                {
                    Fail($"{outcome.Error}; nginx keeps routing by its last set, will retry");
                }

                return null;
        }

        Volatile.Write(ref _lastError, null);
        _applied = output;
        _appliedCanonical = PeerSetText.Format(PeerSetText.Parse(output, out _)?.Peers ?? []);
        return outcome.Routed;
    }

    /// <summary>True when nginx runs and routes by something other than our last push (it restarted from an older file, or someone else pushed).</summary>
    private async Task<bool> DiffersFromNginxAsync(CancellationToken cancellationToken)
    {
        if (_appliedCanonical is null)
        {
            return false;
        }

        try
        {
            var view = await _installer.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (view is null || string.Equals(view.Text, _appliedCanonical, StringComparison.Ordinal))
            {
                return false;
            }

            Interlocked.Increment(ref _corrections);
            Log.Drifted(_logger, view.Source, view.Version, view.Set.Peers.Count);
            return true;
        }
        catch (PeerEndpointException error)
        {
            Log.Unreachable(_logger, error.Message);
            return true;
        }
    }

    private async Task<bool> TryPublishAsync(IReadOnlyList<string> routed, CancellationToken cancellationToken)
    {
        if (_publisher is null)
        {
            _published = routed;
            return true;
        }

        try
        {
            await _publisher.PublishAsync(routed, cancellationToken).ConfigureAwait(false);
            _published = routed;
            return true;
        }
        catch (Exception error) when (error is ConsulApiException or ConsulUnavailableException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Log.PublishFailed(_logger, _publisher.Key, error.Message);
            return false;
        }
    }

    private void Fail(string message)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastError, message);
        Log.Failed(_logger, message);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Peer set waiting for data: {Missing}")]
        public static partial void WaitingForData(ILogger logger, string missing);

        [LoggerMessage(Level = LogLevel.Information, Message = "Pushed the peer set to {Endpoint}: nginx routes to {Count} instances (no reload)")]
        public static partial void Pushed(ILogger logger, int count, Uri endpoint);

        [LoggerMessage(Level = LogLevel.Information, Message = "nginx is not running: saved the peer set ({Count} instances) to {File} for its start")]
        public static partial void Saved(ILogger logger, int count, string file);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Peer set line skipped as invalid: {Problem}")]
        public static partial void LineSkipped(ILogger logger, string problem);

        [LoggerMessage(Level = LogLevel.Warning, Message = "nginx routes by the new peer set, but {Error}")]
        public static partial void SaveFailed(ILogger logger, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "nginx's peer endpoint did not answer, retrying: {Error}")]
        public static partial void Unreachable(ILogger logger, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "nginx routes by another peer set than the last push ({Source}, version {Version}, {Count} peers): pushing again")]
        public static partial void Drifted(ILogger logger, string source, long version, int count);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing routed instances to {Key} failed, retrying: {Error}")]
        public static partial void PublishFailed(ILogger logger, string key, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "{Error}")]
        public static partial void Failed(ILogger logger, string error);
    }
}
