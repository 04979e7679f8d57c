namespace Discovery.Consul.Locking;

/// <summary>
/// Tuning of a <see cref="ConsulLeaderLock"/>. Defaults favour fast failover: a killed holder's
/// check turns critical within <see cref="CheckTtl"/> of its last heartbeat (1 s, passed every
/// 250 ms), then the key can be taken after <see cref="LockDelay"/> (500 ms), and a contender tries
/// exactly when that ends — about 1.3 s from <c>kill -9</c> to a new holder. Safety does not rest on
/// the lock-delay: the holder stops leading after <see cref="LeaseDeadline"/> (¾ of the check TTL)
/// without a confirmed heartbeat, before Consul can hand the key on, and every leader write is
/// fenced by Consul itself (check-session); the lock-delay only adds margin for a holder whose
/// timers run late.
/// </summary>
public sealed record LeaderLockOptions
{
    /// <summary>Consul documents lock-delay as 0–60 s (1.8.7 accepts more without complaint; we hold to the documented range).</summary>
    public static readonly TimeSpan MaxLockDelay = TimeSpan.FromSeconds(60);

    /// <summary>Consul's default session_ttl_min: a session TTL below 10 s is refused.</summary>
    public static readonly TimeSpan MinSessionTtl = TimeSpan.FromSeconds(10);

    /// <summary>Consul's upper bound for a session TTL (24 h).</summary>
    public static readonly TimeSpan MaxSessionTtl = TimeSpan.FromHours(24);

    /// <summary>
    /// Our floor for <see cref="CheckTtl"/>. Consul 1.8.7 enforces no minimum on TTL checks (it
    /// accepts 100ms; its 1 s minimum applies to interval checks), but below 1 s a loaded machine or a GC pause
    /// makes the holder lose leadership without any real failure.
    /// </summary>
    public static readonly TimeSpan MinCheckTtl = TimeSpan.FromSeconds(1);

    /// <summary>The lock key, e.g. discovery/apps/web/leader.</summary>
    public required string Key { get; init; }

    /// <summary>TTL of the check the holding process keeps passing; a dead or frozen holder's session is invalidated this long after its last pass.</summary>
    public TimeSpan CheckTtl { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the check is passed; null means a quarter of <see cref="CheckTtl"/> (two passes may fail before the lease deadline).</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Time after a session is invalidated during which nobody can acquire its keys (Consul default 15 s).</summary>
    public TimeSpan LockDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Optional session TTL (10 s–24 h), renewed every half TTL. Null: the session lives as long as its checks pass.</summary>
    public TimeSpan? SessionTtl { get; init; }

    /// <summary>
    /// How long the holder keeps leading without a confirmed heartbeat (Consul unreachable or
    /// refusing). Null means three quarters of <see cref="CheckTtl"/>; must stay below it.
    /// </summary>
    public TimeSpan? LeaseDeadline { get; init; }

    /// <summary>
    /// Pause between acquire attempts while the key is free but still inside another session's
    /// lock-delay. The first attempt after a holder's session ends waits exactly one
    /// <see cref="LockDelay"/> from when the release was seen; a refused attempt (the lock-delay
    /// started a little earlier on the server) is repeated this often. Refused attempts are cheap:
    /// Consul answers them without a Raft write.
    /// </summary>
    public TimeSpan AcquireRetryInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest time one blocking query on the key is held by Consul.</summary>
    public TimeSpan WatchWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Session name (shown in the Consul UI); defaults to "discovery-lock &lt;key&gt;".</summary>
    public string? SessionName { get; init; }

    /// <summary>Value written to the key when acquiring: who holds it. Defaults to "&lt;host&gt; pid &lt;pid&gt;".</summary>
    public string? HolderDescription { get; init; }

    /// <summary>The heartbeat interval in effect.</summary>
    public TimeSpan EffectiveHeartbeatInterval => HeartbeatInterval ?? CheckTtl / 4;

    /// <summary>The lease deadline in effect.</summary>
    public TimeSpan EffectiveLeaseDeadline => LeaseDeadline ?? CheckTtl * 0.75;

    /// <summary>Every problem with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Key))
        {
            errors.Add("Key: required");
        }
        else if (Key.StartsWith('/'))
        {
            errors.Add($"Key: '{Key}' must not start with '/'");
        }

        if (CheckTtl < MinCheckTtl)
        {
            errors.Add($"CheckTtl: {Seconds(CheckTtl)}s is below the minimum of {Seconds(MinCheckTtl)}s");
        }

        if (HeartbeatInterval is { } beat && (beat <= TimeSpan.Zero || beat > CheckTtl / 2))
        {
            errors.Add($"HeartbeatInterval: {Seconds(beat)}s must be above 0 and at most half of CheckTtl ({Seconds(CheckTtl / 2)}s)");
        }

        if (LockDelay < TimeSpan.Zero || LockDelay > MaxLockDelay)
        {
            errors.Add($"LockDelay: {Seconds(LockDelay)}s must be between 0 and {Seconds(MaxLockDelay)}s");
        }

        if (SessionTtl is { } ttl && (ttl < MinSessionTtl || ttl > MaxSessionTtl))
        {
            errors.Add($"SessionTtl: {Seconds(ttl)}s must be between {Seconds(MinSessionTtl)}s and {MaxSessionTtl.TotalHours}h");
        }

        if (LeaseDeadline is { } deadline && (deadline <= EffectiveHeartbeatInterval || deadline >= CheckTtl))
        {
            errors.Add($"LeaseDeadline: {Seconds(deadline)}s must be above the heartbeat interval ({Seconds(EffectiveHeartbeatInterval)}s) " +
                       $"and below CheckTtl ({Seconds(CheckTtl)}s), so the holder steps down before Consul can hand the lock on");
        }

        if (AcquireRetryInterval <= TimeSpan.Zero)
        {
            errors.Add($"AcquireRetryInterval: {Seconds(AcquireRetryInterval)}s must be above 0");
        }

        if (WatchWait < TimeSpan.FromSeconds(1) || WatchWait > TimeSpan.FromMinutes(10))
        {
            errors.Add($"WatchWait: {Seconds(WatchWait)}s must be between 1s and 10m (Consul's cap)");
        }

        return errors;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid leader lock options: " + string.Join("; ", errors));
        }
    }
}
