using Discovery.Consul;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Postgres.Member;

/// <summary>
/// Keeps the member's <c>pg</c> registration on the local Consul agent current: re-registers when
/// its state, generation or final position changes (the re-tag), otherwise updates the TTL check.
/// A refused TTL update (Consul lost the registration) re-registers. Consul being down only delays this.
/// </summary>
internal sealed partial class MemberReporter(ConsulClient consul, PostgresConfig config, string node, string address, ILogger logger)
{
    private (string State, long Generation, WalPosition? FinalLsn)? _registered;

    public TimeSpan Ttl => (config.CheckInterval * 3) + TimeSpan.FromSeconds(1);

    public async Task ReportAsync(string state, long generation, WalPosition? finalLsn, bool passing, string output, CancellationToken cancellationToken)
    {
        var status = passing ? Consul.Agent.CheckStatus.Passing : Consul.Agent.CheckStatus.Critical;
        try
        {
            if (_registered != (state, generation, finalLsn))
            {
                await consul.Agent.RegisterServiceAsync(MemberRegistration.Create(config, node, address, state, generation, finalLsn, status, output, Ttl),
                    replaceExistingChecks: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                _registered = (state, generation, finalLsn);
                LogRegistered(config.Cluster, state, generation);
            }

            await consul.Agent.UpdateTtlCheckAsync(MemberRegistration.CheckId(config.Cluster, node), status, output, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ConsulApiException error)
        {
            _registered = null;
            LogReportFailed(error.Message);
        }
        catch (ConsulUnavailableException error)
        {
            LogReportFailed(error.Message);
        }
    }

    public async Task DeregisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await consul.Agent.DeregisterServiceAsync(MemberRegistration.ServiceId(config.Cluster, node), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ConsulException error)
        {
            LogReportFailed(error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Cluster}: registered as {State} (generation {Generation})")]
    private partial void LogRegistered(string cluster, string state, long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres registration not updated (retrying next check): {Reason}")]
    private partial void LogReportFailed(string reason);
}
