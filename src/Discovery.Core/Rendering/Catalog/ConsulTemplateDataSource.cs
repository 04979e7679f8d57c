using System.Collections.Concurrent;
using Discovery.Consul;
using Discovery.Consul.Health;
using Discovery.Consul.Queries;
using Discovery.Consul.Watching;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// Keeps the latest Consul answer for every dependency a render reported, each followed by one
/// <see cref="BlockingWatch"/>. A failed query changes nothing: the last value stays (and a
/// dependency never answered stays "not loaded"), so an unreachable Consul can never look like an
/// empty catalog.
/// </summary>
internal sealed class ConsulTemplateDataSource : IAsyncDisposable
{
    private readonly ConsulClient _client;
    private readonly QueryOptions _baseOptions;
    private readonly WatchOptions _watchOptions;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<TemplateDependency, object?> _values = new();
    private readonly Dictionary<TemplateDependency, (CancellationTokenSource Stop, Task Loop)> _watches = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private long _version;
    private int _consecutiveErrors;

    public ConsulTemplateDataSource(ConsulClient client, QueryOptions baseOptions, WatchOptions? watchOptions, ILogger logger, TimeProvider time)
    {
        _client = client;
        _baseOptions = baseOptions;
        _watchOptions = watchOptions ?? WatchOptions.Default;
        _logger = logger;
        _time = time;
    }

    /// <summary>Grows by one each time any watched value changes.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>True while the last query of some watch failed (Consul unreachable or refusing).</summary>
    public bool IsDegraded => Volatile.Read(ref _consecutiveErrors) > 0;

    /// <summary>The data as of now, for one render.</summary>
    public TemplateDataSnapshot Snapshot() => new(new Dictionary<TemplateDependency, object?>(_values));

    /// <summary>Starts a watch for each dependency not watched yet; with <paramref name="removeUnused"/>, stops the others.</summary>
    public void Track(IReadOnlyCollection<TemplateDependency> dependencies, bool removeUnused)
    {
        lock (_gate)
        {
            foreach (var dependency in dependencies)
            {
                if (!_watches.ContainsKey(dependency))
                {
                    var stop = new CancellationTokenSource();
                    _watches[dependency] = (stop, Task.Run(() => WatchAsync(dependency, stop.Token)));
                }
            }

            if (!removeUnused)
            {
                return;
            }

            foreach (var unused in _watches.Keys.Where(key => !dependencies.Contains(key)).ToList())
            {
                _watches[unused].Stop.Cancel();
                _watches.Remove(unused);
                _values.TryRemove(unused, out _);
            }
        }
    }

    /// <summary>Completes when <see cref="Version"/> moves past <paramref name="seenVersion"/>.</summary>
    public Task WaitForChangeAsync(long seenVersion, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            if (Version != seenVersion)
            {
                return Task.CompletedTask;
            }

            signal = _changed.Task;
        }

        return signal.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        List<(CancellationTokenSource Stop, Task Loop)> watches;
        lock (_gate)
        {
            watches = [.. _watches.Values];
            _watches.Clear();
        }

        foreach (var (stop, _) in watches)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        foreach (var (stop, loop) in watches)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            stop.Dispose();
        }
    }

    private async Task WatchAsync(TemplateDependency dependency, CancellationToken cancellationToken)
    {
        try
        {
            switch (dependency)
            {
                case ServiceDependency service:
                    await FollowAsync(dependency, (options, ct) => _client.Health.ServiceAsync(service.Query.Name, service.Query.Tag, service.Query.PassingOnly, options, ct),
                        entries => (object)entries.Select(ToInstance).ToList(), cancellationToken).ConfigureAwait(false);
                    break;
                case CatalogServicesDependency:
                    await FollowAsync(dependency, (options, ct) => _client.Catalog.ServicesAsync(options, ct),
                        services => services.Select(pair => new TemplateCatalogService(pair.Key, pair.Value)).ToList(), cancellationToken).ConfigureAwait(false);
                    break;
                case KeyDependency key:
                    await FollowAsync(dependency, (options, ct) => _client.KV.GetAsync(key.Path, options, ct),
                        pair => (object?)pair?.ValueAsString(), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    _logger.LogError("No watch for dependency {Dependency}", dependency);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task FollowAsync<T>(
        TemplateDependency dependency,
        Func<QueryOptions, CancellationToken, Task<QueryResult<T>>> query,
        Func<T, object?> map,
        CancellationToken cancellationToken)
    {
        await foreach (var result in BlockingWatch.WatchAsync(query, _baseOptions, _watchOptions, (error, delay) => OnError(dependency, error, delay), _time, cancellationToken).ConfigureAwait(false))
        {
            if (Interlocked.Exchange(ref _consecutiveErrors, 0) > 0)
            {
                _logger.LogInformation("Consul answers again ({Dependency})", dependency);
            }

            Store(dependency, map(result.Value), cancellationToken);
        }
    }

    private void OnError(TemplateDependency dependency, Exception error, TimeSpan delay)
    {
        var failures = Interlocked.Increment(ref _consecutiveErrors);
        var level = failures == 1 ? LogLevel.Warning : LogLevel.Debug;
        _logger.Log(level, "Watching {Dependency} failed, keeping the last data, retrying in {Delay} ms: {Error}", dependency, (int)delay.TotalMilliseconds, error.Message);
    }

    /// <summary>Stores a new value and wakes waiters; under the gate so a watch that <see cref="Track"/> just stopped cannot write after its removal.</summary>
    private void Store(TemplateDependency dependency, object? value, CancellationToken cancellationToken)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _values[dependency] = value;
            Interlocked.Increment(ref _version);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    internal static TemplateServiceInstance ToInstance(ServiceEntry entry) => new(
        entry.Node.Name,
        entry.Node.Address,
        entry.Service.ID,
        entry.Service.Service,
        entry.EffectiveAddress,
        entry.Service.Port,
        entry.Service.Tags ?? [],
        entry.Service.Meta ?? new Dictionary<string, string>(),
        entry.AggregatedStatus);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
