namespace Discovery.Consul.Agent;

/// <summary>Check states as Consul spells them.</summary>
public static class CheckStatus
{
    /// <summary>Healthy.</summary>
    public const string Passing = "passing";

    /// <summary>Degraded but serving (Consul still counts it in ?passing=false answers only).</summary>
    public const string Warning = "warning";

    /// <summary>Unhealthy.</summary>
    public const string Critical = "critical";

    /// <summary>Used in health state queries to mean every state.</summary>
    public const string Any = "any";

    /// <summary>Ranks states so the worst wins: critical &gt; warning &gt; passing.</summary>
    public static int Severity(string status) => status switch
    {
        Passing => 0,
        Warning => 1,
        _ => 2,
    };
}
