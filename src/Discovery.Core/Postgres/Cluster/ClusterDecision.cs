namespace Discovery.Core.Postgres.Cluster;

/// <summary>One entry of <c>&lt;prefix&gt;/pg/&lt;cluster&gt;/history/&lt;seq&gt;</c>: a decision and the term that made it.</summary>
/// <param name="Kind">bootstrap, failover, restart-in-place, switchover-start, switchover, switchover-aborted, confirmed, refused.</param>
/// <param name="Generation">The state generation written with it (unchanged for confirmed/refused).</param>
/// <param name="Primary">The primary after the decision.</param>
/// <param name="FencingToken">The leader term that wrote it.</param>
public sealed record ClusterDecision(long Sequence, DateTimeOffset At, string Kind, long Generation, string Primary, string Reason, ulong FencingToken, string Leader);
