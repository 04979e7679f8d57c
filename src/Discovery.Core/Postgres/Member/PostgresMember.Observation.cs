using System.Globalization;
using Discovery.Consul;
using Discovery.Consul.Watching;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Control;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Discovery.Core.Postgres.Member;

/// <summary>The member's eyes: the cluster-state watch, the role probe and what it reports.</summary>
internal sealed partial class PostgresMember
{
    private async Task WatchStateAsync(CancellationToken cancellationToken)
    {
        var results = BlockingWatch.WatchAsync(
            (options, token) => _consul.KV.GetAsync(_keys.State, options, token),
            onError: (error, delay) => LogStateUnreadable(error.Message, delay),
            time: _time,
            cancellationToken: cancellationToken);
        await foreach (var result in results.ConfigureAwait(false))
        {
            if (result.Value is null)
            {
                continue; // not bootstrapped yet
            }

            var state = ClusterStateJson.TryRead(result.Value.ValueAsString(), out var error);
            if (state is null)
            {
                LogStateInvalid(error!);
                continue;
            }

            if (!_tokens.TryAccept(state.Token) || (_cluster is { } current && state.Generation < current.Generation))
            {
                LogStateStale(state.Generation, state.Token, _cluster?.Generation ?? 0, _tokens.Highest);
                continue;
            }

            if (_cluster != state)
            {
                LogState(state.Generation, state.Primary, state.Token, state.Reason);
            }

            _cluster = state;
            _wake.Set();
        }
    }

    /// <summary>The role probe of the local postgres; null when it does not answer.</summary>
    private async Task<ProbeResult?> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_server.Process is null)
        {
            return null;
        }

        try
        {
            return await PostgresAdmin.ProbeAsync(Me, _secrets!.Superuser, Me.Node, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or InvalidOperationException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _output = "postgres does not answer: " + error.Message;
            return null;
        }
    }

    /// <summary>Turns the probe into the published state and check; the next step's action may override it.</summary>
    private void Describe(ClusterState cluster, ProbeResult? probe)
    {
        switch (probe)
        {
            case null when _server.Process is null:
                if (_state is MemberState.Primary or MemberState.Replica)
                {
                    Report(MemberState.Starting, false, "postgres is not running");
                }

                break;
            case null:
                Report(_state is MemberState.Primary or MemberState.Replica ? MemberState.Starting : _state, false, _output);
                break;
            case { InRecovery: false } when cluster.Primary != Me.Node:
                Report(MemberState.Rejoining, false, $"runs as primary, but {cluster.Primary} is the cluster's primary: stopping it");
                break;
            case { InRecovery: false }:
                var waits = _config.SynchronousCommit && probe.StreamingReplicas == 0 ? "; synchronous commit: client writes wait until a replica streams" : "";
                Report(MemberState.Primary, probe.HeartbeatWritten, string.Create(CultureInfo.InvariantCulture,
                    $"primary of generation {cluster.Generation}: heartbeat written, {probe.StreamingReplicas} streaming replica(s){waits}"));
                break;
            case { InRecovery: true } when cluster.Primary == Me.Node:
                Report(MemberState.Replica, false, "in recovery; promoting to primary of generation " + cluster.Generation.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                var lag = probe.HeartbeatAge is { } age ? age.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "unknown";
                var lagOk = probe.HeartbeatAge is { } known && known <= _config.MaxLag;
                var detail = $"replica of {_following ?? "?"} ({probe.SenderHost ?? "no sender"}), {(probe.Streaming ? "streaming" : "NOT streaming")}, " +
                             $"lag {lag} (max {_config.MaxLag.TotalSeconds:0.#} s), received {probe.Receive?.ToString() ?? "-"}, replayed {probe.Replay?.ToString() ?? "-"}";
                // Passing = lag under maxLag: a replica that just lost its primary still serves reads that are that fresh.
                Report(MemberState.Replica, lagOk, detail);
                break;
        }
    }

    private void Report(string state, bool passing, string output)
    {
        _state = state;
        _passing = passing;
        _output = output;
    }

    private void Fail(string reason)
    {
        LogFailed(reason);
        Report(MemberState.Failed, false, reason);
    }

    /// <summary>1 s doubling to 30 s between failed actions; the probe and report go on meanwhile.</summary>
    private void Backoff()
    {
        _failures++;
        var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(_failures - 1, 5))));
        _nextActionAt = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
    }

    private async Task<MemberEndpoint?> FindPrimaryAsync(ClusterState cluster, CancellationToken cancellationToken)
    {
        var entries = (await _consul.Health.ServiceAsync(_config.Cluster, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        foreach (var entry in entries)
        {
            var report = MemberReport.TryRead(entry, out var error);
            if (report is null)
            {
                LogInvalidMember(entry.Service.ID, error!);
            }
            else if (report.Node == cluster.Primary && report.State == MemberState.Primary && report.Generation == cluster.Generation && report.Passing)
            {
                return report.Endpoint;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "postgres: cluster state generation {Generation}, primary {Primary} (token {Token}): {Reason}")]
    private partial void LogState(long generation, string primary, ulong token, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: ignoring an invalid cluster state: {Error}")]
    private partial void LogStateInvalid(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: ignoring a stale cluster state (generation {Generation}, token {Token}; have generation {Current}, token {Highest})")]
    private partial void LogStateStale(long generation, ulong token, long current, ulong highest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: cannot read the cluster state (retrying in {Delay}; postgres keeps running): {Reason}")]
    private partial void LogStateUnreadable(string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: ignoring registration {ServiceId}: {Reason}")]
    private partial void LogInvalidMember(string serviceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "postgres: adopted the running postmaster (pid {Pid})")]
    private partial void LogAdopted(int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: exited while {State} (pid {Pid})")]
    private partial void LogExited(string state, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "postgres: starting {How} (pid {Pid})")]
    private partial void LogStarting(string how, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: promoting to primary of generation {Generation}")]
    private partial void LogPromoting(long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: fencing: stopping the local primary, the cluster's primary is {Primary} (generation {Generation})")]
    private partial void LogFencing(string primary, long generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "postgres: switchover to {Target}: fast shutdown of the primary")]
    private partial void LogDemoting(string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "postgres: following the new primary {Primary}")]
    private partial void LogFollowing(string primary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: not streaming for {Seconds} s; stopping to rewind")]
    private partial void LogNotStreaming(double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "postgres: pg_rewind from {Primary}: {Outcome}")]
    private partial void LogRewind(string primary, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "postgres: cloned from {Primary}")]
    private partial void LogCloned(string primary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres: step failed (backing off): {Reason}")]
    private partial void LogStepFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "postgres: {Reason}")]
    private partial void LogFailed(string reason);
}
