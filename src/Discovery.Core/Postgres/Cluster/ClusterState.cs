namespace Discovery.Core.Postgres.Cluster;

/// <summary>
/// <c>&lt;prefix&gt;/pg/&lt;cluster&gt;/state</c>: who is primary, as decided by the failover leader. Every
/// member's node agent follows it: the named node runs as primary, every other as its replica.
/// <see cref="Generation"/> grows with every decision; a node starts postgres as primary only for a
/// generation newer than the last one it ran as primary in (so a primary that crashed is never
/// restarted as primary by its own agent, racing a failover — only a new decision brings it back).
/// </summary>
/// <param name="Generation">1 for the cluster's first primary, +1 per decision.</param>
/// <param name="Primary">Node name of the primary.</param>
/// <param name="Token">Fencing token of the leader term that wrote this (readers reject lower ones).</param>
/// <param name="At">When it was decided.</param>
/// <param name="Reason">Why, in words (also in the history entry).</param>
/// <param name="Demote">Set while a planned switchover asks the primary to stop cleanly.</param>
/// <param name="HandledRequest">ModifyIndex of the last switchover request carried out or refused.</param>
public sealed record ClusterState(long Generation, string Primary, ulong Token, DateTimeOffset At, string Reason, Demotion? Demote, ulong HandledRequest);
