namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// Decides whether an empty answer from Consul may replace a non-empty one. Around a Consul
/// restart or leader election Consul can answer "nothing" for a moment even though nothing is
/// gone: a restarted agent brings its checks back critical until they next pass, a dev-mode or
/// restored server starts from an empty or older state. consul-template renders those answers
/// (consul-template #1131, #1713); we keep the last non-empty value instead, until the empty
/// answer is believable:
/// <list type="bullet">
/// <item>it comes with X-Consul-KnownLeader: true,</item>
/// <item>its index is not behind the last non-empty answer's (a lower index means a restarted or restored state),</item>
/// <item>and Consul has answered normally for <see cref="Settle"/> since the last disturbance
/// (a failed query, a leaderless answer, an index that went backwards).</item>
/// </list>
/// An empty answer that fails only the last rule is accepted once that time has passed, so a
/// service that really went away is rendered empty after at most <see cref="Settle"/>.
/// </summary>
internal sealed class EmptyAnswerGuard(TimeSpan settle)
{
    /// <summary>Long enough for a restarted agent's TTL checks to be passed again (node agents pass every few seconds).</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(20);

    public TimeSpan Settle { get; } = settle;

    /// <summary>The verdict on one answer.</summary>
    /// <param name="isEmpty">The answer is null or an empty list.</param>
    /// <param name="previousNonEmptyIndex">Index of the value in use when that value is non-empty; null when there is none (nothing to lose).</param>
    /// <param name="knownLeader">X-Consul-KnownLeader of the answer.</param>
    /// <param name="index">X-Consul-Index of the answer.</param>
    /// <param name="sinceDisturbance">Time since Consul last failed or answered without a leader; null when it never did.</param>
    public EmptyAnswerVerdict Judge(bool isEmpty, ulong? previousNonEmptyIndex, bool knownLeader, ulong index, TimeSpan? sinceDisturbance)
    {
        if (!isEmpty || previousNonEmptyIndex is null)
        {
            return EmptyAnswerVerdict.Trust();
        }

        if (!knownLeader)
        {
            return EmptyAnswerVerdict.Hold("Consul has no known leader", retryAfter: null);
        }

        if (index < previousNonEmptyIndex)
        {
            return EmptyAnswerVerdict.Hold($"its index {index} is behind the last non-empty answer's {previousNonEmptyIndex} (a restarted or restored Consul)", Remaining(sinceDisturbance) ?? Settle);
        }

        return Remaining(sinceDisturbance) is { } left
            ? EmptyAnswerVerdict.Hold($"Consul was unavailable or leaderless {sinceDisturbance!.Value.TotalSeconds:0.0} s ago", left)
            : EmptyAnswerVerdict.Trust();
    }

    private TimeSpan? Remaining(TimeSpan? sinceDisturbance) =>
        sinceDisturbance is { } since && since < Settle ? Settle - since : null;
}
