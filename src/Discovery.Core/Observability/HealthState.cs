using Discovery.Consul;

namespace Discovery.Core.Observability;

/// <summary>
/// Whether a daemon is doing its job, for <c>/health</c>: Consul answered within
/// <see cref="MonitoringConfig.ConsulStaleAfter"/> (when it has been quiet that long — a renderer
/// sitting in a long blocking query — it asks Consul's leader endpoint once before judging), and
/// every check the daemon added (its loops alive, the renderer's last render) passes.
/// </summary>
internal sealed class HealthState(ConsulClient consul, TimeSpan consulStaleAfter, TimeProvider time)
{
    private readonly List<(string Name, Func<string?> Problem)> _checks = [];

    /// <summary>Adds a check: <paramref name="problem"/> returns null when fine, else the reason.</summary>
    public void Add(string name, Func<string?> problem) => _checks.Add((name, problem));

    /// <summary>Adds a check that fails once <paramref name="loop"/> has ended (a loop that should run until shutdown).</summary>
    public void AddLoop(string name, Func<Task?> loop) =>
        Add(name, () => loop() is { IsCompleted: true } ended
            ? ended.IsFaulted ? $"stopped: {ended.Exception?.GetBaseException().Message}" : "stopped"
            : null);

    /// <summary>Every problem now (empty = healthy).</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (!await ConsulAnsweredRecentlyAsync(cancellationToken).ConfigureAwait(false))
        {
            problems.Add($"consul: no answer from {consul.Options.Address} for more than {consulStaleAfter.TotalSeconds:0} s");
        }

        foreach (var (name, check) in _checks)
        {
            if (check() is { } problem)
            {
                problems.Add($"{name}: {problem}");
            }
        }

        return problems;
    }

    private async Task<bool> ConsulAnsweredRecentlyAsync(CancellationToken cancellationToken)
    {
        if (Recent())
        {
            return true;
        }

        try
        {
            using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
            await consul.Status.LeaderAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ConsulException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The answer (or none) is recorded by the meter; judged below.
        }

        return Recent();
    }

    private bool Recent()
    {
        var last = ConsulMetrics.LastAnswerAt;
        return last is { } at && time.GetUtcNow() - at <= consulStaleAfter;
    }
}
