namespace Discovery.Consul.Locking;

/// <summary>Why a <see cref="LeaderTerm"/> ended. Each one is detected separately, so logs say exactly which.</summary>
public enum LeadershipLossReason
{
    /// <summary>The holder released it (dispose, shutdown): no lock-delay applies.</summary>
    Released,

    /// <summary>Consul invalidated the session (a tied check went critical, or it was destroyed).</summary>
    SessionInvalidated,

    /// <summary>The key is now held by another session, or was deleted.</summary>
    KeyTaken,

    /// <summary>Renewing the session or passing its check kept failing past the configured deadline.</summary>
    RenewFailed,

    /// <summary>Consul did not answer past the configured deadline, so leadership cannot be proven.</summary>
    ConsulUnreachable,
}
