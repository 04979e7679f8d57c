using System.Text;
using Discovery.Consul.Tests.Support;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Endpoints;

public sealed class KVEndpointTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    [Fact]
    public async Task PutAndGet_BytesStringAndJson_RoundTrip()
    {
        Assert.True(await Client.KV.PutAsync("t/bytes", [0, 1, 255], flags: 42));
        var bytes = (await Client.KV.GetAsync("t/bytes")).Value!;
        Assert.Equal([0, 1, 255], bytes.Value);
        Assert.Equal(42UL, bytes.Flags);

        await Client.KV.PutStringAsync("t/text", "héllo / wörld");
        Assert.Equal("héllo / wörld", (await Client.KV.GetAsync("t/text")).Value!.ValueAsString());

        await Client.KV.PutJsonAsync("t/json", new List<string> { "a", "b" }, TestJsonContext.Default.ListString);
        Assert.Equal(["a", "b"], (await Client.KV.GetAsync("t/json")).Value!.ValueAsJson(TestJsonContext.Default.ListString));
    }

    [Fact]
    public async Task Get_MissingKey_NullValueWithIndex()
    {
        var missing = await Client.KV.GetAsync("t/does/not/exist");
        Assert.Null(missing.Value);
        Assert.True(missing.LastIndex > 0);
        Assert.True(missing.KnownLeader);
    }

    [Fact]
    public async Task KeyWithSpacesAndUnicode_IsEscapedPerSegment()
    {
        await Client.KV.PutStringAsync("t/with space/ünï?&=", "ok");
        Assert.Equal("ok", (await Client.KV.GetAsync("t/with space/ünï?&=")).Value!.ValueAsString());
        Assert.Contains("t/with space/ünï?&=", (await Client.KV.KeysAsync("t/with space/")).Value);
    }

    [Fact]
    public async Task ListAndKeys_Prefix_ReturnTreeAndFolders()
    {
        await Client.KV.PutStringAsync("tree/a/1", "1");
        await Client.KV.PutStringAsync("tree/a/2", "2");
        await Client.KV.PutStringAsync("tree/b", "3");

        var list = (await Client.KV.ListAsync("tree/")).Value;
        Assert.Equal(["tree/a/1", "tree/a/2", "tree/b"], list.Select(p => p.Key));
        Assert.Equal(["tree/a/1", "tree/a/2", "tree/b"], (await Client.KV.KeysAsync("tree/")).Value);
        Assert.Equal(["tree/a/", "tree/b"], (await Client.KV.KeysAsync("tree/", separator: "/")).Value);
        Assert.Empty((await Client.KV.ListAsync("nothing-here/")).Value);
    }

    [Fact]
    public async Task Cas_StaleIndex_RejectedAndValueKept()
    {
        Assert.True(await Client.KV.CasAsync("cas/k", "v1"u8.ToArray(), 0));
        Assert.False(await Client.KV.CasAsync("cas/k", "again"u8.ToArray(), 0)); // 0 = only if absent
        var first = (await Client.KV.GetAsync("cas/k")).Value!;

        Assert.True(await Client.KV.CasAsync("cas/k", "v2"u8.ToArray(), first.ModifyIndex));
        Assert.False(await Client.KV.CasAsync("cas/k", "v3"u8.ToArray(), first.ModifyIndex)); // conflict
        Assert.Equal("v2", (await Client.KV.GetAsync("cas/k")).Value!.ValueAsString());
    }

    [Fact]
    public async Task Delete_PlainCasAndTree_RemoveKeys()
    {
        await Client.KV.PutStringAsync("del/one", "x");
        Assert.True(await Client.KV.DeleteAsync("del/one"));
        Assert.Null((await Client.KV.GetAsync("del/one")).Value);

        await Client.KV.PutStringAsync("del/cas", "x");
        var pair = (await Client.KV.GetAsync("del/cas")).Value!;
        Assert.False(await Client.KV.DeleteCasAsync("del/cas", pair.ModifyIndex + 1000));
        Assert.NotNull((await Client.KV.GetAsync("del/cas")).Value);
        Assert.True(await Client.KV.DeleteCasAsync("del/cas", pair.ModifyIndex));
        Assert.Null((await Client.KV.GetAsync("del/cas")).Value);

        await Client.KV.PutStringAsync("del/tree/a", "1");
        await Client.KV.PutStringAsync("del/tree/b/c", "2");
        await Client.KV.PutStringAsync("del/treeless", "keep");
        Assert.True(await Client.KV.DeleteTreeAsync("del/tree/"));
        Assert.Empty((await Client.KV.ListAsync("del/tree/")).Value);
        Assert.NotNull((await Client.KV.GetAsync("del/treeless")).Value);
    }
}
