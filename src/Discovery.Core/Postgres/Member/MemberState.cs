namespace Discovery.Core.Postgres.Member;

/// <summary>What a member is doing; published as the tag and <c>state</c> meta of its <c>pg</c> registration.</summary>
public static class MemberState
{
    /// <summary>Waiting for the cluster state, or starting postgres.</summary>
    public const string Starting = "starting";

    /// <summary>Running as the primary of the current generation.</summary>
    public const string Primary = "primary";

    /// <summary>Running as a replica of the current primary.</summary>
    public const string Replica = "replica";

    /// <summary>Postgres exited while primary; it stays down until the failover leader decides (a new generation).</summary>
    public const string HeldDown = "held-down";

    /// <summary>Stopped cleanly for a planned switchover; meta <c>final-lsn</c> is where its WAL ends.</summary>
    public const string Demoted = "demoted";

    /// <summary>Becoming a replica of the current primary (pg_rewind or a fresh copy).</summary>
    public const string Rejoining = "rejoining";

    /// <summary>Cannot act without an operator (the check output says why).</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Starting, Primary, Replica, HeldDown, Demoted, Rejoining, Failed];
}
