using Discovery.Consul;
using Discovery.Core.Observability;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Health;
using Discovery.Core.Rendering.Targets;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// The render loop: render every template from the watched data, apply each template once its
/// burst settled (its own wait min/max, <see cref="TemplateQuiescence"/>: validate, swap, one run
/// per command), then publish which instances this load balancer routes to. Failures keep the last
/// good output and are retried on the next change. <see cref="RunOnceAsync"/> is the same pass
/// done once, for --once.
/// </summary>
internal sealed partial class RendererService
{
    /// <summary>How soon a failed publication of the routed instances is tried again.</summary>
    public static readonly TimeSpan PublishRetryDelay = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<RenderJob> _jobs;
    private readonly ConsulTemplateDataSource _data;
    private readonly QuiescenceWait _wait;
    private readonly RoutedInstancesPublisher? _publisher;
    private readonly RendererHealth _health;
    private readonly string? _statusFile;
    private readonly RenderEnvironment _environment;
    private readonly ChangeApplier _applier;
    private readonly MissingDataReporter _missing;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<string>?[] _routedByJob;
    private IReadOnlyList<string>? _published;
    private long _renders;
    private long _changes;
    private long _skips;
    private long _failures;
    private string? _lastError;

    public RendererService(
        IReadOnlyList<RenderJob> jobs,
        ConsulTemplateDataSource data,
        QuiescenceWait wait,
        RoutedInstancesPublisher? publisher,
        RendererHealth health,
        string? statusFile,
        RenderEnvironment environment,
        ILogger logger,
        TimeProvider time)
    {
        _jobs = jobs;
        _data = data;
        _wait = wait;
        _publisher = publisher;
        _health = health;
        _statusFile = statusFile;
        _environment = environment;
        _applier = new ChangeApplier(logger);
        _missing = new MissingDataReporter(MissingDataReporter.DefaultDelay, time);
        _logger = logger;
        _time = time;
        _routedByJob = new IReadOnlyList<string>?[jobs.Count];
    }

    /// <summary>Complete renders of a template (with all its data).</summary>
    public long Renders => Interlocked.Read(ref _renders);

    /// <summary>Outputs validated and swapped in (their commands ran).</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Renders identical to what is in place (no write, no command).</summary>
    public long Skips => Interlocked.Read(ref _skips);

    /// <summary>Template errors, rejected candidates, failed writes or commands.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Why the last failure happened (the check's or command's own words); null after a success.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Runs until cancelled (then throws <see cref="OperationCanceledException"/>).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? pendingRouted = null;
        var quiescence = new TemplateQuiescence(
            [.. _jobs.Select(job => job.Config.Wait ?? _wait)],
            [.. _jobs.Select(job => (job.Target as IRoutingTarget)?.RefreshInterval)],
            _time);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var version = _data.Version;
            var roundStarted = _time.GetTimestamp();
            var round = RenderRound.Run(_jobs, _data.Snapshot(), _environment);

            // Only complete renders know every dependency; an incomplete one must not drop watches.
            _data.Track(round.Dependencies, removeUnused: round.AllComplete);
            foreach (var (dependency, missingFor) in _missing.Observe(round.Waiting.SelectMany(waiting => waiting.Missing).Select(missing => missing.ToString())))
            {
                Log.StillMissing(_logger, dependency, missingFor.TotalSeconds, string.Join(", ", round.Waiting.Where(w => w.Missing.Any(m => m.ToString() == dependency)).Select(w => w.Job.Config.Source)));
            }

            var due = _jobs.Where(job => quiescence.IsDue(job.Index)).ToHashSet();
            if (due.Count > 0)
            {
                var outcomes = await RenderAndApplyAsync(round, due, cancellationToken).ConfigureAwait(false);
                foreach (var job in due)
                {
                    quiescence.Applied(job.Index);
                }

                if (outcomes.Any(outcome => outcome.Changed && outcome.Job.Target is not IRoutingTarget))
                {
                    // e.g. nginx reloaded a new structure: what it can route may change with the same peers.
                    foreach (var job in _jobs.Where(job => job.Target is IRoutingTarget))
                    {
                        ((IRoutingTarget)job.Target).Recheck();
                        quiescence.DueNow(job.Index);
                    }
                }

                if (RoutedInstances(round, outcomes) is { } routed && (_published is null || !_published.SequenceEqual(routed)))
                {
                    pendingRouted = routed;
                }
            }

            if (pendingRouted is not null && await TryPublishAsync(pendingRouted, cancellationToken).ConfigureAwait(false))
            {
                RendererMetrics.RenderToRouted.WithLabels(RendererMetrics.LoadBalancer).Observe(_time.GetElapsedTime(roundStarted).TotalSeconds);
                pendingRouted = null;
            }

            await WriteStatusAsync(cancellationToken).ConfigureAwait(false);
            var wake = Earliest(pendingRouted is not null ? PublishRetryDelay : null, _missing.NextDue(), quiescence.NextDue());
            if (wake is { } timeout ? await WaitForChangeAsync(version, timeout, cancellationToken).ConfigureAwait(false) : await WaitForAnyChangeAsync(version, cancellationToken).ConfigureAwait(false))
            {
                quiescence.Changed();
            }
        }
    }

    /// <summary>
    /// Waits until every template has its data (or <paramref name="timeout"/> passes, naming what
    /// is missing), then renders, checks, swaps and runs commands once.
    /// </summary>
    public async Task<RenderOnceResult> RunOnceAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var version = _data.Version;
            var round = RenderRound.Run(_jobs, _data.Snapshot(), _environment);
            _data.Track(round.Dependencies, removeUnused: false);
            if (!round.Waiting.Any() || round.Errors.Any())
            {
                var outcomes = await RenderAndApplyAsync(round, _jobs.ToHashSet(), cancellationToken).ConfigureAwait(false);
                var problems = round.Errors.Select(error => $"{error.Job.Config.Source}: {error.Error.Message}")
                    .Concat(outcomes.Where(outcome => outcome.Error is not null).Select(outcome => outcome.Error!))
                    .ToList();
                if (problems.Count == 0 && RoutedInstances(round, outcomes) is { } routed && !await TryPublishAsync(routed, cancellationToken).ConfigureAwait(false))
                {
                    problems.Add($"could not publish the routed instances to {_publisher!.Key}");
                }

                await WriteStatusAsync(cancellationToken).ConfigureAwait(false);
                return problems.Count == 0 ? RenderOnceResult.Success : new RenderOnceResult(1, problems);
            }

            var left = timeout - _time.GetElapsedTime(start);
            if (left <= TimeSpan.Zero || !await WaitForChangeAsync(version, left, cancellationToken).ConfigureAwait(false))
            {
                foreach (var (job, missing) in round.Waiting)
                {
                    _health.Waiting(job.Index, [.. missing.Select(dependency => dependency.ToString())]);
                }

                await WriteStatusAsync(cancellationToken).ConfigureAwait(false);
                return new RenderOnceResult(1, [.. round.Waiting.Select(waiting =>
                    $"{waiting.Job.Config.Source}: no data after {timeout.TotalSeconds:0.#} s for {string.Join(", ", waiting.Missing)}")]);
            }
        }
    }

    /// <summary>Reports errors and waiting templates among <paramref name="due"/>, applies their complete ones; returns what applying did.</summary>
    private async Task<IReadOnlyList<ApplyOutcome>> RenderAndApplyAsync(RenderRound round, IReadOnlySet<RenderJob> due, CancellationToken cancellationToken)
    {
        foreach (var (job, missing) in round.Waiting.Where(waiting => due.Contains(waiting.Job)))
        {
            _health.Waiting(job.Index, [.. missing.Select(dependency => dependency.ToString())]);
            Log.WaitingForData(_logger, job.Config.Source, string.Join(", ", missing));
        }

        foreach (var (job, error) in round.Errors.Where(error => due.Contains(error.Job)))
        {
            Fail(job, $"template failed with the current data: {error.Message}");
        }

        var complete = round.Complete.Where(entry => due.Contains(entry.Job)).Select(entry => (entry.Job, entry.Result.Output!)).ToList();
        Interlocked.Add(ref _renders, complete.Count);
        var outcomes = await _applier.ApplyAsync(complete, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        foreach (var outcome in outcomes)
        {
            if (outcome.Error is not null)
            {
                Fail(outcome.Job, $"{outcome.Error}; keeping the last good output, will retry on the next change");
                continue;
            }

            if (outcome.Changed)
            {
                Interlocked.Increment(ref _changes);
            }
            else
            {
                Interlocked.Increment(ref _skips);
            }

            RendererMetrics.Renders.WithLabels(RendererMetrics.LoadBalancer, outcome.Changed ? "written" : "unchanged").Inc();

            _health.Succeeded(outcome.Job.Index, outcome.Changed, now);
            if (outcome.Changed || Volatile.Read(ref _lastError) is not null)
            {
                Volatile.Write(ref _lastError, null);
            }
        }

        _health.Consul(!_data.IsDegraded, _data.HeldAnswers, _data.RejectedEntries);
        return outcomes;
    }

    /// <summary>
    /// The instances the load balancer routes to now, once every routed template has been applied
    /// at least once: per template, what its consumer reports (nginx's own peer view,
    /// <see cref="IRoutingTarget"/>) or else the passing instances of its service queries as of its
    /// last successful apply. A template whose apply failed keeps its previous contribution (its
    /// previous output is still in place).
    /// </summary>
    private IReadOnlyList<string>? RoutedInstances(RenderRound round, IReadOnlyList<ApplyOutcome> outcomes)
    {
        if (_publisher is null)
        {
            return null;
        }

        foreach (var outcome in outcomes.Where(outcome => outcome.Error is null && outcome.Job.Config.Routed))
        {
            var job = outcome.Job;
            _routedByJob[job.Index] = job.Target is IRoutingTarget routing
                ? routing.Routed
                : round.Snapshot.RoutedInstanceIds(round.Complete.Where(entry => entry.Job == job).SelectMany(entry => entry.Result.Dependencies));
        }

        var routed = _jobs.Where(job => job.Config.Routed).ToList();
        if (routed.Count == 0 || routed.Any(job => _routedByJob[job.Index] is null))
        {
            return null;
        }

        return [.. routed.SelectMany(job => _routedByJob[job.Index]!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private void Fail(RenderJob job, string message)
    {
        Interlocked.Increment(ref _failures);
        RendererMetrics.Renders.WithLabels(RendererMetrics.LoadBalancer, "failed").Inc();
        Volatile.Write(ref _lastError, message);
        _health.Failed(job.Index, message);
        Log.Failed(_logger, job.Config.Source, message);
    }

    private async Task<bool> TryPublishAsync(IReadOnlyList<string> routed, CancellationToken cancellationToken)
    {
        try
        {
            await _publisher!.PublishAsync(routed, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _published, routed);
            return true;
        }
        catch (Exception error) when (error is ConsulException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Log.PublishFailed(_logger, _publisher!.Key, error.Message);
            return false;
        }
    }

    private async Task WriteStatusAsync(CancellationToken cancellationToken)
    {
        if (_statusFile is null)
        {
            return;
        }

        try
        {
            await RendererStatusFile.WriteAsync(_statusFile, _health.Snapshot(_time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Log.StatusFileFailed(_logger, _statusFile, error.Message);
        }
    }

    /// <summary>Completes (true) at the first change after <paramref name="version"/>.</summary>
    private async Task<bool> WaitForAnyChangeAsync(long version, CancellationToken cancellationToken)
    {
        await _data.WaitForChangeAsync(version, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static TimeSpan? Earliest(params TimeSpan?[] times) =>
        times.Where(time => time is not null).Select(time => time!.Value).DefaultIfEmpty(TimeSpan.MaxValue).Min() is var earliest && earliest == TimeSpan.MaxValue ? null : earliest;

    /// <summary>True when the data changed after <paramref name="version"/> within <paramref name="timeout"/>.</summary>
    private async Task<bool> WaitForChangeAsync(long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var change = _data.WaitForChangeAsync(version, stop.Token);
        var delay = Task.Delay(timeout, _time, stop.Token);
        var first = await Task.WhenAny(change, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == change && change.IsCompletedSuccessfully;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "{Template}: waiting for data: {Missing}")]
        public static partial void WaitingForData(ILogger logger, string template, string missing);

        [LoggerMessage(Level = LogLevel.Information, Message = "Still no data for {Dependency} after {Seconds:0} s (needed by {Templates}); those templates wait for it")]
        public static partial void StillMissing(ILogger logger, string dependency, double seconds, string templates);

        [LoggerMessage(Level = LogLevel.Error, Message = "{Template}: {Error}")]
        public static partial void Failed(ILogger logger, string template, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing routed instances to {Key} failed, retrying: {Error}")]
        public static partial void PublishFailed(ILogger logger, string key, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot write the status file {Path}: {Error}")]
        public static partial void StatusFileFailed(ILogger logger, string path, string error);
    }
}
