using Discovery.Consul.Locking;

namespace Discovery.Consul.Tests.Locking;

public sealed class LeaderLockOptionsTests
{
    public static TheoryData<string, LeaderLockOptions, string[]> Cases => new()
    {
        { "defaults", new LeaderLockOptions { Key = "discovery/apps/web/leader" }, [] },
        { "all valid", new LeaderLockOptions { Key = "k", CheckTtl = TimeSpan.FromSeconds(3), HeartbeatInterval = TimeSpan.FromSeconds(1), LockDelay = TimeSpan.Zero, SessionTtl = TimeSpan.FromSeconds(10), LeaseDeadline = TimeSpan.FromSeconds(2) }, [] },
        { "empty key", new LeaderLockOptions { Key = " " }, ["Key: required"] },
        { "leading slash", new LeaderLockOptions { Key = "/a" }, ["Key: '/a' must not start with '/'"] },
        { "check ttl below 1s", new LeaderLockOptions { Key = "k", CheckTtl = TimeSpan.FromMilliseconds(900) }, ["CheckTtl: 0.9s is below the minimum of 1s"] },
        { "heartbeat too slow", new LeaderLockOptions { Key = "k", HeartbeatInterval = TimeSpan.FromSeconds(1.5) }, ["HeartbeatInterval: 1.5s must be above 0 and at most half of CheckTtl (0.5s)"] },
        { "heartbeat zero", new LeaderLockOptions { Key = "k", HeartbeatInterval = TimeSpan.Zero }, ["HeartbeatInterval: 0s must be above 0 and at most half of CheckTtl (0.5s)"] },
        { "lock delay above 60s", new LeaderLockOptions { Key = "k", LockDelay = TimeSpan.FromSeconds(61) }, ["LockDelay: 61s must be between 0 and 60s"] },
        { "negative lock delay", new LeaderLockOptions { Key = "k", LockDelay = TimeSpan.FromSeconds(-1) }, ["LockDelay: -1s must be between 0 and 60s"] },
        { "session ttl below 10s", new LeaderLockOptions { Key = "k", SessionTtl = TimeSpan.FromSeconds(5) }, ["SessionTtl: 5s must be between 10s and 24h"] },
        { "session ttl above 24h", new LeaderLockOptions { Key = "k", SessionTtl = TimeSpan.FromHours(25) }, ["SessionTtl: 90000s must be between 10s and 24h"] },
        { "lease deadline not below check ttl", new LeaderLockOptions { Key = "k", LeaseDeadline = TimeSpan.FromSeconds(1) }, ["LeaseDeadline: 1s must be above the heartbeat interval (0.25s) and below CheckTtl (1s), so the holder steps down before Consul can hand the lock on"] },
        { "retry interval zero", new LeaderLockOptions { Key = "k", AcquireRetryInterval = TimeSpan.Zero }, ["AcquireRetryInterval: 0s must be above 0"] },
        { "watch wait above consul cap", new LeaderLockOptions { Key = "k", WatchWait = TimeSpan.FromMinutes(11) }, ["WatchWait: 660s must be between 1s and 10m (Consul's cap)"] },
        {
            "every problem listed",
            new LeaderLockOptions { Key = "", CheckTtl = TimeSpan.FromMilliseconds(500), LockDelay = TimeSpan.FromMinutes(2), SessionTtl = TimeSpan.FromSeconds(1) },
            ["Key: required", "CheckTtl: 0.5s is below the minimum of 1s", "LockDelay: 120s must be between 0 and 60s", "SessionTtl: 1s must be between 10s and 24h"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_Options_ListsEveryProblem(string name, LeaderLockOptions options, string[] expected)
    {
        Assert.True(expected.SequenceEqual(options.Validate()), $"{name}: got [{string.Join(" | ", options.Validate())}]");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithEveryProblem()
    {
        using var client = new ConsulClient(new ConsulClientOptions());
        var error = Assert.Throws<ArgumentException>(() => new ConsulLeaderLock(client, new LeaderLockOptions { Key = "", LockDelay = TimeSpan.FromMinutes(2) }));
        Assert.Contains("Key: required", error.Message, StringComparison.Ordinal);
        Assert.Contains("LockDelay: 120s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, 250, 750)]
    [InlineData(2000, 500, 1500)]
    [InlineData(3000, 750, 2250)]
    public void Effective_Defaults_DeriveFromCheckTtl(int checkTtlMs, int heartbeatMs, int deadlineMs)
    {
        var options = new LeaderLockOptions { Key = "k", CheckTtl = TimeSpan.FromMilliseconds(checkTtlMs) };
        Assert.Equal(heartbeatMs, (int)options.EffectiveHeartbeatInterval.TotalMilliseconds);
        Assert.Equal(deadlineMs, (int)options.EffectiveLeaseDeadline.TotalMilliseconds);
    }
}
