using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Catalog;

public sealed class OutageGuardTests
{
    private static readonly OutageGuard Guard = new(TimeSpan.FromSeconds(20));

    public static TheoryData<bool, ulong, bool, ulong, double?, bool, double?> Cases => new()
    {
        // losesEntries, currentIndex, knownLeader, index, secondsSinceDisturbance → trusted, retryAfter
        { false, 10, true, 11, 1, true, null },     // nothing lost: always used, even mid-outage
        { false, 10, false, 5, 1, true, null },     // even without a leader and with a lower index
        { true, 10, true, 11, null, true, null },   // Consul steady: a scale-down is used at once
        { true, 10, true, 11, 25, true, null },     // the disturbance is long past
        { true, 10, true, 11, 5, false, 15 },       // 5 s after an outage: held for the remaining 15 s
        { true, 10, false, 11, 60, false, null },   // no known leader: only a new answer decides
        { true, 10, true, 9, null, false, 20 },     // index went backwards: a restarted/restored Consul
        { true, 10, true, 9, 8, false, 12 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Judge_Answer_TrustsOrHolds(bool losesEntries, ulong currentIndex, bool knownLeader, ulong index, double? since, bool trusted, double? retryAfter)
    {
        var verdict = Guard.Judge(losesEntries, currentIndex, knownLeader, index, since is null ? null : TimeSpan.FromSeconds(since.Value));

        Assert.Equal(trusted, verdict.Trusted);
        Assert.Equal(retryAfter, verdict.RetryAfter?.TotalSeconds);
        Assert.Equal(trusted, verdict.Reason is null);
    }

    [Fact]
    public void LosesEntries_EachKindOfAnswer_ComparesByIdentity()
    {
        TemplateServiceInstance Instance(string id, string status = "passing") => new("n1", "127.0.0.1", id, "web", "127.0.0.1", 1, [], new Dictionary<string, string>(), status);

        Assert.True(ConsulAnswers.LosesEntries(new[] { Instance("a"), Instance("b") }, new[] { Instance("a") }));
        Assert.True(ConsulAnswers.LosesEntries(new[] { Instance("a") }, Array.Empty<TemplateServiceInstance>()));
        Assert.False(ConsulAnswers.LosesEntries(new[] { Instance("a") }, new[] { Instance("a", "warning"), Instance("c") }));
        Assert.True(ConsulAnswers.LosesEntries(new[] { new TemplateCatalogService("web", []) }, new[] { new TemplateCatalogService("consul", []) }));
        Assert.True(ConsulAnswers.LosesEntries("value", null));
        Assert.False(ConsulAnswers.LosesEntries("value", ""));
        Assert.False(ConsulAnswers.LosesEntries(null, "new"));
        Assert.True(ConsulAnswers.LosesEntries(new[] { "dc1", "dc2" }, new[] { "dc1" }));
        Assert.True(ConsulAnswers.LosesEntries(new[] { new TemplateKeyPair("a/b", "", "1", 0, 0, 0, 0, "") }, Array.Empty<TemplateKeyPair>()));
    }
}
