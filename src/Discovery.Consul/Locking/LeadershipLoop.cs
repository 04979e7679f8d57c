using Microsoft.Extensions.Logging;

namespace Discovery.Consul.Locking;

/// <summary>
/// Contend, lead, contend again — until cancelled: the one loop every fenced leader runs (the
/// scaler for each app, the Postgres failover leader for each cluster). The work of a term gets a
/// token that fires when the term is lost or the loop is stopped. A term ends on that, on a Consul
/// failure (releasing and contending again is safer than leading on with unknown state) or on any
/// other exception (a bug must not end leadership for good: step down, let another contender — or
/// this one, after <c>contendAgainDelay</c> — lead, and leave the stack trace in the log).
/// </summary>
/// <param name="leaderLock">The lock to contend for.</param>
/// <param name="who">Names the leader in the log lines ("web", "postgres failover leader for pg").</param>
/// <param name="contendAgainDelay">Pause before contending again, unless the term was released on purpose.</param>
/// <param name="time">Clock for that pause.</param>
/// <param name="logger">The owner's logger: the lines read as the owner's.</param>
public sealed partial class LeadershipLoop(ILeaderLock leaderLock, string who, TimeSpan contendAgainDelay, TimeProvider time, ILogger logger)
{
    private readonly ILogger _logger = logger;

    /// <summary>Fencing token of the current term; null while not leading.</summary>
    public ulong? CurrentToken { get; private set; }

    /// <summary>Runs <paramref name="lead"/> for every term this contender wins, until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="lead">The leader's work for one term; its token fires when the term ends.</param>
    /// <param name="cancellationToken">Stops contending and ends the current term (releasing the key).</param>
    public async Task RunAsync(Func<LeaderTerm, CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
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
                await PauseAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

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
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogUnexpectedFailure(error, who);
                }
                finally
                {
                    CurrentToken = null;
                }
            }

            if (!cancellationToken.IsCancellationRequested && term.LossReason is not LeadershipLossReason.Released)
            {
                await PauseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(contendAgainDelay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping: the loop condition ends it
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Who}: cannot contend for {Key}: {Error}")]
    private partial void LogCannotContend(string who, string key, string error);

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
