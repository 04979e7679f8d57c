using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Templating;

public sealed class ServiceQueryTests
{
    [Theory]
    [InlineData("web", "web", null, (int)(ServiceHealthFilter.Passing), "web|passing")]
    [InlineData("web|any", "web", null, (int)(ServiceHealthFilter.Any), "web|any")]
    [InlineData("web|passing", "web", null, (int)(ServiceHealthFilter.Passing), "web|passing")]
    [InlineData("web|warning,passing", "web", null, (int)(ServiceHealthFilter.Passing | ServiceHealthFilter.Warning), "web|passing,warning")]
    [InlineData("web|critical,maintenance", "web", null, (int)(ServiceHealthFilter.Critical | ServiceHealthFilter.Maintenance), "web|critical,maintenance")]
    [InlineData("discovery.web", "web", "discovery", (int)(ServiceHealthFilter.Passing), "discovery.web|passing")]
    [InlineData("v1.2.my-app|any", "my-app", "v1.2", (int)(ServiceHealthFilter.Any), "v1.2.my-app|any")]
    [InlineData("a=b:c.web_1", "web_1", "a=b:c", (int)(ServiceHealthFilter.Passing), "a=b:c.web_1|passing")]
    public void TryParse_ConsulTemplateSyntax_ParsesNameTagAndFilter(string text, string name, string? tag, int filter, string display)
    {
        Assert.True(ServiceQuery.TryParse(text, out var query, out var error), error);

        Assert.Equal(new ServiceQuery(name, tag, (ServiceHealthFilter)filter), query);
        Assert.Equal(display, query!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("web|")]
    [InlineData("web|healthy")]
    [InlineData("web@dc1")]
    [InlineData("web~node1")]
    [InlineData(".web")]
    [InlineData("we b")]
    public void TryParse_Invalid_ReturnsError(string text)
    {
        Assert.False(ServiceQuery.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData((int)(ServiceHealthFilter.Passing), "passing", true)]
    [InlineData((int)(ServiceHealthFilter.Passing), "warning", false)]
    [InlineData((int)(ServiceHealthFilter.Passing | ServiceHealthFilter.Warning), "warning", true)]
    [InlineData((int)(ServiceHealthFilter.Any), "critical", true)]
    [InlineData((int)(ServiceHealthFilter.Any), "whatever", true)]
    [InlineData((int)(ServiceHealthFilter.Maintenance), "maintenance", true)]
    [InlineData((int)(ServiceHealthFilter.Critical), "maintenance", false)]
    public void Accepts_Status_FollowsFilter(int filter, string status, bool accepted)
    {
        Assert.Equal(accepted, new ServiceQuery("web", null, (ServiceHealthFilter)filter).Accepts(status));
    }

    [Theory]
    [InlineData((int)(ServiceHealthFilter.Passing), true)]
    [InlineData((int)(ServiceHealthFilter.Any), false)]
    [InlineData((int)(ServiceHealthFilter.Passing | ServiceHealthFilter.Warning), false)]
    public void PassingOnly_Filter_TrueOnlyForPassingAlone(int filter, bool passingOnly)
    {
        Assert.Equal(passingOnly, new ServiceQuery("web", null, (ServiceHealthFilter)filter).PassingOnly);
    }
}
