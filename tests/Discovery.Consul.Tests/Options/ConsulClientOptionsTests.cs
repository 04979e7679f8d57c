using Discovery.Consul;

namespace Discovery.Consul.Tests.Options;

public sealed class ConsulClientOptionsTests
{
    [Fact]
    public void ToString_WithToken_NeverPrintsIt()
    {
        var options = new ConsulClientOptions { Address = new Uri("http://127.0.0.1:8500"), Token = "3f1c0a52-secret-token" };

        var text = options.ToString();

        Assert.DoesNotContain("3f1c0a52-secret-token", text, StringComparison.Ordinal);
        Assert.Contains("Token = (set)", text, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8500", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_InsideAnotherRecord_NeverPrintsToken()
    {
        var holder = new Holder(new ConsulClientOptions { Token = "3f1c0a52-secret-token" });

        Assert.DoesNotContain("3f1c0a52-secret-token", holder.ToString(), StringComparison.Ordinal);
    }

    private sealed record Holder(ConsulClientOptions Options);
}
