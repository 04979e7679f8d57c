using System.Globalization;

namespace Discovery.Bench.PgFailover;

/// <summary>
/// One measured round: a kill of the primary (or the planned switchover), from that moment until a
/// write was acknowledged by the new primary, the writes that failed meanwhile, the acknowledged
/// writes the new primary does not hold (of all acknowledged so far), and when the old primary
/// passed again as a replica.
/// </summary>
internal sealed record PgFailoverRound(bool Synchronous, string Name, TimeSpan WriteAfter, int Failed, int Lost, int Acknowledged, TimeSpan RejoinedAfter)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"  synchronousCommit {(Synchronous ? "on" : "off")}, {Name}: write on the new primary after {WriteAfter.TotalSeconds:0.00} s, {Failed} failed, " +
        $"{Lost} acknowledged lost (of {Acknowledged}), old primary a replica again after {RejoinedAfter.TotalSeconds:0.0} s");
}
