namespace Discovery.Consul.Sessions;

/// <summary>What happens to keys a session holds when it is invalidated.</summary>
public static class SessionBehavior
{
    /// <summary>Keys are released (kept, without a holder). Consul's default.</summary>
    public const string Release = "release";

    /// <summary>Keys are deleted.</summary>
    public const string Delete = "delete";
}
