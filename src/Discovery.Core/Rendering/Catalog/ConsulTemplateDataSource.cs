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
/// Only an answer whose data differs from the value held is a change (<see cref="TemplateDataComparer"/>):
/// a key that does not exist, for one, is answered again on every KV write anywhere.
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
    private long _rejectedEntries;
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

    /// <summary>
    /// Entries of Consul's answers left out because a value was not valid for a template to print
    /// (<see cref="UntrustedAnswers"/>), counted once per answer they were in.
    /// </summary>
    public long RejectedEntries => Interlocked.Read(ref _rejectedEntries);

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
        Observability.RendererMetrics.UnsafeSkipped.WithLabels(Observability.RendererMetrics.LoadBalancer).Inc();
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

    /// <summary>An entry of an answer that never reaches a template: logged with its reason and counted.</summary>
    private void Reject(string reason)
    {
        Interlocked.Increment(ref _rejectedEntries);
        Log.EntryRejected(_logger, reason);
    }

    /// <summary>A managed instance no node agent can have registered: kept as data, left out of routing by peers.ctmpl.</summary>
    private void Doubt(string reason) => Log.NotBelievable(_logger, reason);

    private void MarkDisturbance() => Interlocked.Exchange(ref _lastDisturbance, _time.GetTimestamp());

    private TimeSpan? SinceDisturbance()
    {
        var last = Interlocked.Read(ref _lastDisturbance);
        return last < 0 ? null : _time.GetElapsedTime(last);
    }

    /// <summary>
    /// Stores an answer and, when its data differs from the value held, wakes waiters; under the
    /// gate so a watch that <see cref="Track"/> just stopped cannot write after its removal. An
    /// unchanged answer is kept too (its index is what the <see cref="OutageGuard"/> judges the next by).
    /// </summary>
    private void Store(TemplateDependency dependency, Answer answer, CancellationToken cancellationToken)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var unchanged = _values.TryGetValue(dependency, out var current) && TemplateDataComparer.Instance.Equals(current.Value, answer.Value);
            _values[dependency] = answer;
            if (unchanged)
            {
                Log.Unchanged(_logger, dependency.ToString());
                return;
            }

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
        [LoggerMessage(Level = LogLevel.Debug, Message = "{Dependency} woke the watch without a change")]
        public static partial void Unchanged(ILogger logger, string dependency);

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

        [LoggerMessage(Level = LogLevel.Warning, Message = "Not believable, so not routed (peers.ctmpl): {Reason}")]
        public static partial void NotBelievable(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped untrusted Consul data: {Reason}")]
        public static partial void EntryRejected(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Dependency} kept its smaller answer for {Seconds:0.0} s after a Consul disturbance; using it now")]
        public static partial void AnswerTrusted(ILogger logger, string dependency, double seconds);
    }
}
