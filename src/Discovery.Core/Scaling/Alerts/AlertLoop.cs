using Discovery.Consul;
using Discovery.Core.Observability;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Alerts;

/// <summary>
/// Evaluates the alert rules in the scaler that leads the config's first app, under that leader
/// term: every event carries the term's fencing token, a round whose term ended while it read
/// sends nothing, and a new term starts every rule afresh (its <c>for</c> counts again), so two
/// scalers never both alert. Interval: half the shortest <c>for</c>, between 1 s and 5 s.
/// </summary>
internal sealed partial class AlertLoop(
    IReadOnlyList<AlertRule> rules,
    Func<ulong?> currentTerm,
    AlertSignalReader reader,
    WebhookSender sender,
    string leaderName,
    TimeProvider time,
    ILogger logger)
{
    public TimeSpan Interval { get; } = TimeSpan.FromTicks(Math.Clamp(rules.Count == 0 ? TimeSpan.FromSeconds(5).Ticks : rules.Min(rule => rule.For).Ticks / 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(5).Ticks));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (rules.Count == 0)
        {
            return;
        }

        var states = new Dictionary<string, AlertRuleState>(StringComparer.Ordinal);
        ulong? term = null;
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var token = currentTerm();
            if (token != term)
            {
                states.Clear();
                foreach (var rule in rules)
                {
                    ScalerMetrics.AlertsFiring.WithLabels(rule.Name).Set(0);
                }

                term = token;
            }

            if (token is not { } fencingToken)
            {
                continue;
            }

            IReadOnlyDictionary<string, (double? Value, string Detail)> values;
            try
            {
                values = await reader.ReadAsync(rules, cancellationToken).ConfigureAwait(false);
            }
            catch (ConsulException error)
            {
                LogReadFailed(error.Message);
                continue;
            }

            if (currentTerm() != fencingToken)
            {
                continue; // deposed while reading: the next leader decides
            }

            var now = time.GetUtcNow();
            foreach (var rule in rules)
            {
                var previous = states.GetValueOrDefault(rule.Name, AlertRuleState.Idle);
                var (value, detail) = values[rule.Name];
                var (next, change) = AlertEvaluator.Evaluate(rule, previous, value, now);
                states[rule.Name] = next;
                ScalerMetrics.AlertsFiring.WithLabels(rule.Name).Set(next.Firing ? 1 : 0);
                if (change is null)
                {
                    continue;
                }

                var since = change == AlertEvent.Firing ? next.ConditionSince ?? now : previous.ClearSince ?? now;
                LogChanged(rule.Name, change, value ?? double.NaN, detail);
                sender.Enqueue(rule.Webhook, new AlertEvent(
                    rule.Name, change, AlertRulesBinder.Text(rule.Signal), rule.App, value, rule.Above,
                    Discovery.Consul.Durations.GoDuration.Format(rule.For), detail, since, now, leaderName, fencingToken));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert {Rule} {Status}: value {Value} ({Detail})")]
    private partial void LogChanged(string rule, string status, double value, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert signals unreadable this round: {Reason}")]
    private partial void LogReadFailed(string reason);
}
