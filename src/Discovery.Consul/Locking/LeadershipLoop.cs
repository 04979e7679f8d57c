using Microsoft.Extensions.Logging;

namespace Discovery.Consul.Locking;

/// <summary>
/// Contend, lead, contend again — until cancelled: the one loop every fenced leader runs (the
/// scaler for each app, the Postgres failover leader for each cluster). The work of a term gets a
/// token that fires when the term is lost or the loop is stopped. A term ends on that, on a Consul
/// failure (releasing and contending again is safer than leading on with unknown state) or on any
/// other exception (a bug must not end leadership for good: step down, let another contender — or
/// this one, after <c>contendAgainDelay</c> — lead, and leave the stack trace in the log). Terms
/// that keep failing soon after they start (garbage in KV, a bug) back off: each acquisition is a
/// Raft write, and a failure on every term must not become a hot acquire/step-down loop (issue 12).
/// </summary>
/// <param name="leaderLock">The lock to contend for.</param>
/// <param name="who">Names the leader in the log lines ("web", "postgres failover leader for pg").</param>
/// <param name="contendAgainDelay">Pause before contending again, unless the term was released on purpose.</param>
/// <param name="time">Clock for that pause.</param>
/// <param name="logger">The owner's logger: the lines read as the owner's.</param>
/// <param name="maxContendAgainDelay">The longest pause after failed terms in a row; default <see cref="DefaultMaxContendAgainDelay"/>.</param>
public sealed partial class LeadershipLoop(ILeaderLock leaderLock, string who, TimeSpan contendAgainDelay, TimeProvider time, ILogger logger, TimeSpan? maxContendAgainDelay = null)
{
    /// <summary>The longest pause after failed terms in a row, unless the owner sets another.</summary>
    public static readonly TimeSpan DefaultMaxContendAgainDelay = TimeSpan.FromSeconds(60);

    private readonly ILogger _logger = logger;
    private readonly TimeSpan _maxDelay = maxContendAgainDelay ?? DefaultMaxContendAgainDelay;

    /// <summary>
    /// The pause after the <paramref name="failures"/>-th failed term in a row: <paramref name="first"/>
    /// doubled per failure, at most <paramref name="max"/> (never less than <paramref name="first"/>).
    /// </summary>
    public static TimeSpan Backoff(TimeSpan first, TimeSpan max, int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 20);
        return TimeSpan.FromTicks(Math.Max(Math.Min(first.Ticks * (1L << doublings), max.Ticks), first.Ticks));
    }

    /// <summary>Fencing token of the current term; null while not leading.</summary>
    public ulong? CurrentToken { get; private set; }

    /// <summary>Runs <paramref name="lead"/> for every term this contender wins, until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="lead">The leader's work for one term; its token fires when the term ends.</param>
    /// <param name="cancellationToken">Stops contending and ends the current term (releasing the key).</param>
    public async Task RunAsync(Func<LeaderTerm, CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var failedTerms = 0; // in a row; a term that led longer than the longest pause before failing starts the count again
        while (!cancellationToken.IsCancellationRequested)
        {
            LeaderTerm term;
            try
            {
                term = await leaderLock.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ConsulException error)
            {
                LogCannotContend(who, leaderLock.Key, error.Message);
                await PauseAsync(contendAgainDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var failed = false;
            var started = time.GetTimestamp();
            await using (term.ConfigureAwait(false))
            {
                LogLeading(who, term.FencingToken);
                CurrentToken = term.FencingToken;
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, term.Lost);
                try
                {
                    await lead(term, leading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    LogStopping(who);
                }
                catch (OperationCanceledException) when (term.Lost.IsCancellationRequested)
                {
                    LogLost(who, term.LossReason);
                }
                catch (ConsulException error)
                {
                    LogConsulFailedWhileLeading(who, error.Message);
                    failed = true;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogUnexpectedFailure(error, who);
                    failed = true;
                }
                finally
                {
                    CurrentToken = null;
                }
            }

            failedTerms = !failed ? 0 : time.GetElapsedTime(started) > _maxDelay ? 1 : failedTerms + 1;
            if (!cancellationToken.IsCancellationRequested && (failed || term.LossReason is not LeadershipLossReason.Released))
            {
                var pause = failed ? Backoff(contendAgainDelay, _maxDelay, failedTerms) : contendAgainDelay;
                if (failedTerms > 1)
                {
                    LogBackingOff(who, failedTerms, pause.TotalSeconds);
                }

                await PauseAsync(pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping: the loop condition ends it
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Who}: cannot contend for {Key}: {Error}")]
    private partial void LogCannotContend(string who, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Who}: {Failures} terms in a row failed; waiting {Seconds:0.#} s before contending again")]
    private partial void LogBackingOff(string who, int failures, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Who}: leading with fencing token {Token}")]
    private partial void LogLeading(string who, ulong token);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Who}: stopping; releasing leadership")]
    private partial void LogStopping(string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Who}: lost leadership ({Reason}); stopped before the next write")]
    private partial void LogLost(string who, LeadershipLossReason? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Who}: Consul failed while leading, stepping down: {Error}")]
    private partial void LogConsulFailedWhileLeading(string who, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Who}: unexpected failure while leading, stepping down")]
    private partial void LogUnexpectedFailure(Exception error, string who);
}
