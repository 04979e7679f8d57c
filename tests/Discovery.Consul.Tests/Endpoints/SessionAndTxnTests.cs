using System.Text;
using Discovery.Consul.Agent;
using Discovery.Consul.Sessions;
using Discovery.Consul.Tests.Support;
using Discovery.Consul.Txn;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Endpoints;

public sealed class SessionAndTxnTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    [Fact]
    public async Task Session_CreateInfoRenewListDestroy_Lifecycle()
    {
        var id = await Client.Sessions.CreateAsync(new SessionRequest
        {
            Name = "life", Ttl = TimeSpan.FromSeconds(30), LockDelay = TimeSpan.FromSeconds(1), Behavior = SessionBehavior.Delete,
        });

        var info = (await Client.Sessions.InfoAsync(id)).Value!;
        Assert.Equal("life", info.Name);
        Assert.Equal(Server.NodeName, info.Node);
        Assert.Equal(TimeSpan.FromSeconds(1), info.LockDelay);
        Assert.Equal(SessionBehavior.Delete, info.Behavior);
        Assert.Equal("30s", info.TTL);

        Assert.Equal(id, (await Client.Sessions.RenewAsync(id))!.ID);
        Assert.Contains((await Client.Sessions.ListAsync()).Value, s => s.ID == id);
        Assert.Contains((await Client.Sessions.NodeAsync(Server.NodeName)).Value, s => s.ID == id);

        Assert.True(await Client.Sessions.DestroyAsync(id));
        Assert.Null((await Client.Sessions.InfoAsync(id)).Value);
        Assert.Null(await Client.Sessions.RenewAsync(id));
    }

    [Fact]
    public async Task Acquire_TwoSessionsContend_OnlyOneHoldsUntilRelease()
    {
        var first = await Client.Sessions.CreateAsync(new SessionRequest { Name = "a", LockDelay = TimeSpan.Zero });
        var second = await Client.Sessions.CreateAsync(new SessionRequest { Name = "b", LockDelay = TimeSpan.Zero });

        Assert.True(await Client.KV.AcquireAsync("locks/one", first, "a"u8.ToArray()));
        Assert.False(await Client.KV.AcquireAsync("locks/one", second, "b"u8.ToArray()));
        var held = (await Client.KV.GetAsync("locks/one")).Value!;
        Assert.Equal(first, held.Session);
        Assert.Equal(1UL, held.LockIndex);

        Assert.False(await Client.KV.ReleaseAsync("locks/one", second));
        Assert.True(await Client.KV.ReleaseAsync("locks/one", first));
        Assert.True(await Client.KV.AcquireAsync("locks/one", second, "b"u8.ToArray()));
        var retaken = (await Client.KV.GetAsync("locks/one")).Value!;
        Assert.Equal(second, retaken.Session);
        Assert.Equal(2UL, retaken.LockIndex); // the fencing token moved on
    }

    [Fact]
    public async Task Session_TiedTtlCheckGoesCritical_KeyReleased()
    {
        await Client.Agent.RegisterCheckAsync(new CheckDefinition { CheckId = "holder-alive", Name = "holder alive", Ttl = TimeSpan.FromSeconds(1), Status = CheckStatus.Passing });
        var session = await Client.Sessions.CreateAsync(new SessionRequest { Checks = ["serfHealth", "holder-alive"], LockDelay = TimeSpan.FromMilliseconds(10) });
        Assert.True(await Client.KV.AcquireAsync("locks/ttl", session));

        // Nobody passes the TTL check any more: it turns critical, Consul invalidates the session.
        await EventuallyAsync(async () => (await Client.KV.GetAsync("locks/ttl")).Value!.Session is null, TimeSpan.FromSeconds(10), "the key is released");
        var released = (await Client.KV.GetAsync("locks/ttl")).Value!;
        Assert.Equal(1UL, released.LockIndex); // LockIndex keeps counting acquisitions; Session is cleared
        Assert.Null((await Client.Sessions.InfoAsync(session)).Value);
    }

    [Fact]
    public async Task Session_CreateWithCriticalCheck_Rejected()
    {
        await Client.Agent.RegisterCheckAsync(new CheckDefinition { CheckId = "already-critical", Name = "x", Ttl = TimeSpan.FromSeconds(30) });
        var error = await Assert.ThrowsAsync<ConsulApiException>(() => Client.Sessions.CreateAsync(new SessionRequest { Checks = ["already-critical"] }));
        Assert.Contains("critical", error.ConsulMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/v1/session/create", error.Endpoint);
    }

    [Fact]
    public async Task Txn_SetCasGetDelete_AppliedAtomically()
    {
        await Client.KV.PutStringAsync("txn/existing", "0");
        var existing = (await Client.KV.GetAsync("txn/existing")).Value!;

        var committed = await Client.Txn.ExecuteAsync(
        [
            TxnOperation.Set("txn/a", "1"),
            TxnOperation.Cas("txn/existing", "1"u8.ToArray(), existing.ModifyIndex),
            TxnOperation.CheckNotExists("txn/nope"),
            TxnOperation.Get("txn/existing"),
        ]);
        Assert.True(committed.Committed);
        Assert.Empty(committed.Errors);
        Assert.Equal("1", committed.Results.Last().ValueAsString());

        var rolledBack = await Client.Txn.ExecuteAsync(
        [
            TxnOperation.Set("txn/b", "never"),
            TxnOperation.CheckIndex("txn/existing", existing.ModifyIndex), // stale: fails
        ]);
        Assert.False(rolledBack.Committed);
        Assert.Equal(1, Assert.Single(rolledBack.Errors).OpIndex);
        Assert.Null((await Client.KV.GetAsync("txn/b")).Value);

        var deleted = await Client.Txn.ExecuteAsync([TxnOperation.Delete("txn/a"), TxnOperation.DeleteTree("txn/")]);
        Assert.True(deleted.Committed);
        Assert.Empty((await Client.KV.ListAsync("txn/")).Value);
    }

    [Fact]
    public async Task Txn_CheckSessionAfterSessionGone_RejectedByConsul()
    {
        var session = await Client.Sessions.CreateAsync(new SessionRequest { LockDelay = TimeSpan.Zero });
        Assert.True(await Client.KV.AcquireAsync("fence/leader", session));

        var fenced = await Client.Txn.ExecuteAsync([TxnOperation.CheckSession("fence/leader", session), TxnOperation.Set("fence/data", "from leader")]);
        Assert.True(fenced.Committed);

        await Client.Sessions.DestroyAsync(session);
        var deposed = await Client.Txn.ExecuteAsync([TxnOperation.CheckSession("fence/leader", session), TxnOperation.Set("fence/data", "from deposed leader")]);
        Assert.False(deposed.Committed);
        Assert.Contains("session check", deposed.Errors[0].What, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("from leader", (await Client.KV.GetAsync("fence/data")).Value!.ValueAsString());
    }

    [Fact]
    public async Task Txn_TooManyOperations_ThrowsBeforeSending()
    {
        var operations = Enumerable.Range(0, 65).Select(i => TxnOperation.Set("x/" + i, Encoding.UTF8.GetBytes("v"))).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => Client.Txn.ExecuteAsync(operations));
    }
}
