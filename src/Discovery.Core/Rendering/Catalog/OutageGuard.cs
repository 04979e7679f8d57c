namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// Decides whether an answer from Consul that loses entries (instances, services, keys …; an
/// empty answer loses them all) may replace the value in use. Around a Consul restart or leader
/// election Consul can answer with less than there is for a moment: a restarted agent brings its
/// checks back critical until they next pass, a dev-mode or restored server starts from an empty
/// or older state until agents sync again. consul-template renders those answers (#1131, #1713);
/// we keep the value in use until the smaller answer is believable:
/// <list type="bullet">
/// <item>it comes with X-Consul-KnownLeader: true,</item>
/// <item>its index is not behind the index of the value in use (a lower index means a restarted or restored state),</item>
/// <item>and Consul has answered normally for <see cref="Settle"/> since the last disturbance (a
/// failed query, a leaderless answer, an index that went backwards).</item>
/// </list>
/// Answers that lose nothing are always used at once (new instances are routed without delay),
/// and so are smaller answers while Consul is steady (a normal scale-down). A held answer that is
/// still the latest is used once <see cref="Settle"/> has passed, so something that really went
/// away during an outage is gone from the output after at most that long.
/// </summary>
internal sealed class OutageGuard(TimeSpan settle)
{
    /// <summary>Long enough for a restarted agent's checks to pass again and for agents to re-sync a restarted server.</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(20);

    public TimeSpan Settle { get; } = settle;

    /// <summary>The verdict on one answer.</summary>
    /// <param name="losesEntries">Compared with the value in use, the answer lacks some entry (or is empty where the value was not).</param>
    /// <param name="currentIndex">X-Consul-Index of the value in use.</param>
    /// <param name="knownLeader">X-Consul-KnownLeader of the answer.</param>
    /// <param name="index">X-Consul-Index of the answer.</param>
    /// <param name="sinceDisturbance">Time since Consul last failed or answered without a leader; null when it never did.</param>
    public OutageVerdict Judge(bool losesEntries, ulong currentIndex, bool knownLeader, ulong index, TimeSpan? sinceDisturbance)
    {
        if (!losesEntries)
        {
            return OutageVerdict.Trust();
        }

        if (!knownLeader)
        {
            return OutageVerdict.Hold("Consul has no known leader", retryAfter: null);
        }

        if (index < currentIndex)
        {
            return OutageVerdict.Hold($"its index {index} is behind {currentIndex} of the data in use (a restarted or restored Consul)", Remaining(sinceDisturbance) ?? Settle);
        }

        return Remaining(sinceDisturbance) is { } left
            ? OutageVerdict.Hold($"Consul was unavailable or leaderless {sinceDisturbance!.Value.TotalSeconds:0.0} s ago", left)
            : OutageVerdict.Trust();
    }

    private TimeSpan? Remaining(TimeSpan? sinceDisturbance) =>
        sinceDisturbance is { } since && since < Settle ? Settle - since : null;
}
