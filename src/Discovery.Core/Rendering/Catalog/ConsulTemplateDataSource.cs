using System.Collections.Concurrent;
using Discovery.Consul;
using Discovery.Consul.Queries;
using Discovery.Consul.Watching;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// Keeps the latest Consul answer for every dependency a render reported, each followed by one
/// <see cref="BlockingWatch"/> (datacenters, which cannot block, by polling). A failed query
/// changes nothing: the last value stays (and a dependency never answered stays "not loaded"), so
/// an unreachable Consul can never look like an empty catalog; and an answer that loses entries
/// right after a Consul restart or leader election must first pass the <see cref="OutageGuard"/>.
/// </summary>
internal sealed partial class ConsulTemplateDataSource : IAsyncDisposable
{
    /// <summary>consul-template polls /v1/catalog/datacenters at this interval too.</summary>
    public static readonly TimeSpan DatacentersPollInterval = TimeSpan.FromSeconds(15);

    private readonly ConsulClient _client;
    private readonly QueryOptions _baseOptions;
    private readonly WatchOptions _watchOptions;
    private readonly OutageGuard _guard;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<TemplateDependency, Answer> _values = new();

    /// <summary>Sequence number of the latest answer per dependency, stored or held.</summary>
    private readonly ConcurrentDictionary<TemplateDependency, long> _latest = new();
    private readonly Dictionary<TemplateDependency, (CancellationTokenSource Stop, Task Loop)> _watches = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private long _version;
    private int _consecutiveErrors;
    private long _lastDisturbance = -1;
    private long _heldAnswers;
    private long _answers;
    private string? _localNodeName;

    public ConsulTemplateDataSource(ConsulClient client, QueryOptions baseOptions, WatchOptions? watchOptions, OutageGuard? guard, ILogger logger, TimeProvider time)
    {
        _client = client;
        _baseOptions = baseOptions;
        _watchOptions = watchOptions ?? WatchOptions.Default;
        _guard = guard ?? new OutageGuard(OutageGuard.DefaultSettle);
        _logger = logger;
        _time = time;
    }

    /// <summary>Grows by one each time any watched value changes.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>True while the last query of some watch failed (Consul unreachable or refusing).</summary>
    public bool IsDegraded => Volatile.Read(ref _consecutiveErrors) > 0;

    /// <summary>Answers held back by the <see cref="OutageGuard"/> so far (each would have lost entries right after a Consul disturbance).</summary>
    public long HeldAnswers => Interlocked.Read(ref _heldAnswers);

    /// <summary>The data as of now, for one render.</summary>
    public TemplateDataSnapshot Snapshot() => new(_values.ToDictionary(pair => pair.Key, pair => pair.Value.Value));

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
                        entries => entries.Select(ConsulAnswers.ToInstance).ToArray(), cancellationToken).ConfigureAwait(false);
                    break;
                case CatalogServicesDependency:
                    await FollowAsync(dependency, (options, ct) => _client.Catalog.ServicesAsync(options, ct),
                        services => services.Select(pair => new TemplateCatalogService(pair.Key, pair.Value)).ToArray(), cancellationToken).ConfigureAwait(false);
                    break;
                case KeyDependency key:
                    await FollowAsync(dependency, (options, ct) => _client.KV.GetAsync(key.Path, options, ct),
                        pair => pair?.ValueAsString(), cancellationToken).ConfigureAwait(false);
                    break;
                case KeyListDependency list:
                    await FollowAsync(dependency, (options, ct) => _client.KV.ListAsync(list.Prefix, options, ct),
                        pairs => pairs.Select(ConsulAnswers.ToKeyPair).ToArray(), cancellationToken).ConfigureAwait(false);
                    break;
                case CatalogNodesDependency:
                    await FollowAsync(dependency, (options, ct) => _client.Catalog.NodesAsync(options, ct),
                        nodes => nodes.Select(ConsulAnswers.ToNode).ToArray(), cancellationToken).ConfigureAwait(false);
                    break;
                case CatalogNodeDependency node:
                    var name = node.Name.Length > 0 ? node.Name : await LocalNodeNameAsync(dependency, cancellationToken).ConfigureAwait(false);
                    await FollowAsync(dependency, (options, ct) => _client.Catalog.NodeAsync(name, options, ct),
                        ConsulAnswers.ToCatalogNode, cancellationToken).ConfigureAwait(false);
                    break;
                case DatacentersDependency datacenters:
                    await PollDatacentersAsync(datacenters, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    Log.NoWatch(_logger, dependency.ToString());
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Follows one query. After a failed query the watch starts over with a non-blocking read: a
    /// restarted Consul's index starts low, and a blocking query on the old, higher index would
    /// hang until its wait ran out (a minute blind to every change). For the same reason the
    /// client must not retry reads itself (<see cref="ConsulClientOptions.ReadRetries"/> 0): a long
    /// poll cut by the restart and silently sent again would carry the old index.
    /// </summary>
    private async Task FollowAsync<T>(
        TemplateDependency dependency,
        Func<QueryOptions, CancellationToken, Task<QueryResult<T>>> query,
        Func<T, object?> map,
        CancellationToken cancellationToken)
    {
        ulong lastIndex = 0;
        var failures = 0;
        while (true)
        {
            Exception? failure = null;
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                try
                {
                    var results = BlockingWatch.WatchAsync(query, _baseOptions, _watchOptions, (error, _) =>
                    {
                        failure = error;
                        attempt.Cancel();
                    }, _time, attempt.Token);
                    await foreach (var result in results.ConfigureAwait(false))
                    {
                        failures = 0;
                        if (Interlocked.Exchange(ref _consecutiveErrors, 0) > 0)
                        {
                            Log.ConsulAnswersAgain(_logger, dependency.ToString());
                        }

                        if (!result.KnownLeader || result.LastIndex < lastIndex)
                        {
                            MarkDisturbance(); // leaderless, or a restarted/restored state: smaller answers are suspect for a while
                        }

                        lastIndex = result.LastIndex;
                        Offer(dependency, new Answer(map(result.Value), result.LastIndex, result.KnownLeader, Interlocked.Increment(ref _answers)), cancellationToken);
                    }
                }
                catch (OperationCanceledException) when (failure is not null && !cancellationToken.IsCancellationRequested)
                {
                }
            }

            var delay = RetryDelay(++failures);
            OnError(dependency, failure!, delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores an answer unless the guard holds it back; a held one may be stored later.</summary>
    private void Offer(TemplateDependency dependency, Answer answer, CancellationToken cancellationToken)
    {
        var current = _values.TryGetValue(dependency, out var value) ? value : null;
        var verdict = _guard.Judge(
            current is not null && ConsulAnswers.LosesEntries(current.Value, answer.Value),
            current?.Index ?? 0,
            answer.KnownLeader,
            answer.Index,
            SinceDisturbance());
        _latest[dependency] = answer.Sequence;
        if (verdict.Trusted)
        {
            Store(dependency, answer, cancellationToken);
            return;
        }

        Interlocked.Increment(ref _heldAnswers);
        Log.AnswerHeld(_logger, dependency.ToString(), verdict.Reason!, verdict.RetryAfter?.TotalSeconds ?? -1);
        if (verdict.RetryAfter is { } delay)
        {
            _ = TrustLaterAsync(dependency, answer, delay, cancellationToken);
        }
    }

    /// <summary>After the guard's wait, a held answer that is still the latest for its dependency is used.</summary>
    private async Task TrustLaterAsync(TemplateDependency dependency, Answer answer, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            if (_latest.TryGetValue(dependency, out var latest) && latest == answer.Sequence)
            {
                Log.AnswerTrusted(_logger, dependency.ToString(), delay.TotalSeconds);
                Store(dependency, answer, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PollDatacentersAsync(DatacentersDependency dependency, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                var names = await _client.Catalog.DatacentersAsync(cancellationToken).ConfigureAwait(false);
                if (dependency.IgnoreFailing)
                {
                    names = await AnsweringDatacentersAsync(names, cancellationToken).ConfigureAwait(false);
                }

                failures = 0;
                Offer(dependency, new Answer(names.ToArray(), 0, KnownLeader: true, Interlocked.Increment(ref _answers)), cancellationToken);
                await Task.Delay(DatacentersPollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is ConsulApiException or ConsulUnavailableException && !cancellationToken.IsCancellationRequested)
            {
                var delay = RetryDelay(++failures);
                OnError(dependency, error, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>consul-template's <c>datacenters true</c>: only datacenters that answer a consistent read.</summary>
    private async Task<IReadOnlyList<string>> AnsweringDatacentersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var answering = new List<string>();
        foreach (var name in names)
        {
            try
            {
                await _client.Catalog.ServicesAsync(_baseOptions with { Datacenter = name, Consistency = ConsistencyMode.Consistent }, cancellationToken).ConfigureAwait(false);
                answering.Add(name);
            }
            catch (Exception error) when (error is ConsulApiException or ConsulUnavailableException && !cancellationToken.IsCancellationRequested)
            {
            }
        }

        return answering;
    }

    /// <summary>consul-template's <c>node</c> without a name is the node of the agent it talks to.</summary>
    private async Task<string> LocalNodeNameAsync(TemplateDependency dependency, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (Volatile.Read(ref _localNodeName) is null)
        {
            try
            {
                Volatile.Write(ref _localNodeName, (await _client.Agent.SelfAsync(cancellationToken).ConfigureAwait(false)).Config.NodeName);
            }
            catch (Exception error) when (error is ConsulApiException or ConsulUnavailableException && !cancellationToken.IsCancellationRequested)
            {
                var delay = RetryDelay(++failures);
                OnError(dependency, error, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        return _localNodeName!;
    }

    private void OnError(TemplateDependency dependency, Exception error, TimeSpan delay)
    {
        MarkDisturbance();
        var failures = Interlocked.Increment(ref _consecutiveErrors);
        if (failures == 1)
        {
            Log.WatchFailed(_logger, dependency.ToString(), (int)delay.TotalMilliseconds, error.Message);
        }
        else
        {
            Log.WatchStillFailing(_logger, dependency.ToString(), (int)delay.TotalMilliseconds, error.Message);
        }
    }

    /// <summary>Exponential backoff after consecutive failures, capped.</summary>
    private TimeSpan RetryDelay(int failures)
    {
        var delay = _watchOptions.RetryBaseDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < _watchOptions.RetryMaxDelay ? delay : _watchOptions.RetryMaxDelay;
    }

    private void MarkDisturbance() => Interlocked.Exchange(ref _lastDisturbance, _time.GetTimestamp());

    private TimeSpan? SinceDisturbance()
    {
        var last = Interlocked.Read(ref _lastDisturbance);
        return last < 0 ? null : _time.GetElapsedTime(last);
    }

    /// <summary>Stores a value and wakes waiters; under the gate so a watch that <see cref="Track"/> just stopped cannot write after its removal.</summary>
    private void Store(TemplateDependency dependency, Answer answer, CancellationToken cancellationToken)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _values[dependency] = answer;
            Interlocked.Increment(ref _version);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One answer: the mapped value, Consul's index and leader flag, and its arrival order.</summary>
    private sealed record Answer(object? Value, ulong Index, bool KnownLeader, long Sequence);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "No watch for dependency {Dependency}")]
        public static partial void NoWatch(ILogger logger, string dependency);

        [LoggerMessage(Level = LogLevel.Information, Message = "Consul answers again ({Dependency})")]
        public static partial void ConsulAnswersAgain(ILogger logger, string dependency);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Watching {Dependency} failed, keeping the last data, retrying in {Delay} ms: {Error}")]
        public static partial void WatchFailed(ILogger logger, string dependency, int delay, string error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Watching {Dependency} failed, keeping the last data, retrying in {Delay} ms: {Error}")]
        public static partial void WatchStillFailing(ILogger logger, string dependency, int delay, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Dependency} answered with less than before; keeping the data in use because {Reason} (used after {Seconds:0.0} s if nothing changes; -1: only a new answer decides)")]
        public static partial void AnswerHeld(ILogger logger, string dependency, string reason, double seconds);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Dependency} kept its smaller answer for {Seconds:0.0} s after a Consul disturbance; using it now")]
        public static partial void AnswerTrusted(ILogger logger, string dependency, double seconds);
    }
}
