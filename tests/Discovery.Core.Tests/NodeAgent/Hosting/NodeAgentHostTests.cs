using Discovery.Core.NodeAgent.Hosting;
using Discovery.Core.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Core.Tests.NodeAgent.Hosting;

public sealed class NodeAgentHostTests
{
    [Fact]
    public async Task RunFileAsync_InvalidConfig_ListsEveryErrorExits2AndStartsNothing()
    {
        using var scope = new ProcessTestScope();
        var path = scope.PathOf("node.yaml");
        await File.WriteAllTextAsync(path, """
            name: n1
            dataDir: data
            colour: blue
            apps:
              - name: web
                ports: 9000-8000
                defaultInstances: many
              - name: web
                command: dotnet
                ports: 9100-9199
            """);
        using var errors = new StringWriter();

        var exitCode = await NodeAgentHost.RunFileAsync(path, NodeAgentOptions.Default, NullLoggerFactory.Instance, errors, CancellationToken.None);

        Assert.Equal(NodeAgentHost.ExitConfigInvalid, exitCode);
        var text = errors.ToString();
        Assert.Contains("colour", text, StringComparison.Ordinal);
        Assert.Contains("apps[0].command", text, StringComparison.Ordinal);
        Assert.Contains("apps[0].ports", text, StringComparison.Ordinal);
        Assert.Contains("apps[0].defaultInstances", text, StringComparison.Ordinal);
        Assert.Contains("apps[1].name", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(scope.PathOf("data")), "nothing may start for an invalid config");
    }
}
