using Discovery.Core.Rendering.Commands;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Rendering.Targets;
using Discovery.Core.Rendering.Templating;
using Discovery.Core.Tests.TestSupport;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Hosting;

/// <summary>One burst over several file targets with real shell commands: each command once, failures undone.</summary>
public sealed class ChangeApplierTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("discovery-change-applier-").FullName;

    [Fact]
    public async Task ApplyAsync_ThreeChangedTargetsSharingACommand_RunsItOnce()
    {
        var reload = Command($"echo reload >> {Path.Combine(_folder, "runs")}");
        var other = Command($"echo other >> {Path.Combine(_folder, "runs")}");
        var jobs = new[] { Job(0, "a.conf", reload), Job(1, "b.conf", reload), Job(2, "c.conf", other), Job(3, "d.conf", reload) };

        var outcomes = await Applier().ApplyAsync([.. jobs.Select(job => (job, $"content of {job.Target.Name}\n"))], CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.True(outcome.Changed && outcome.Error is null));
        Assert.Equal(["reload", "other"], await File.ReadAllLinesAsync(Path.Combine(_folder, "runs")));
    }

    [Fact]
    public async Task ApplyAsync_UnchangedTargets_RunNoCommand()
    {
        var counter = Path.Combine(_folder, "runs");
        var job = Job(0, "a.conf", Command($"echo ran >> {counter}"));
        await Applier().ApplyAsync([(job, "same\n")], CancellationToken.None);

        var outcomes = await Applier().ApplyAsync([(job, "same\n")], CancellationToken.None);

        Assert.False(outcomes[0].Changed);
        Assert.Single(await File.ReadAllLinesAsync(counter));
    }

    [Fact]
    public async Task ApplyAsync_CommandFails_RestoresOnlyTheFilesThatAskedForIt()
    {
        var failing = Command("echo no such service >&2; exit 3");
        var fine = Command("true");
        var a = Job(0, "a.conf", failing);
        var b = Job(1, "b.conf", fine);
        await File.WriteAllTextAsync(Path.Combine(_folder, "a.conf"), "a1\n");
        await File.WriteAllTextAsync(Path.Combine(_folder, "b.conf"), "b1\n");

        var outcomes = await Applier().ApplyAsync([(a, "a2\n"), (b, "b2\n")], CancellationToken.None);

        Assert.Contains("exit code 3: no such service", outcomes[0].Error, StringComparison.Ordinal);
        Assert.Contains("restored the previous", outcomes[0].Error, StringComparison.Ordinal);
        Assert.Equal("a1\n", await File.ReadAllTextAsync(Path.Combine(_folder, "a.conf")));
        Assert.True(outcomes[1].Changed);
        Assert.Equal("b2\n", await File.ReadAllTextAsync(Path.Combine(_folder, "b.conf")));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ChangeApplier Applier() => new(new TestOutputLoggerFactory(output).CreateLogger("applier"));

    private static ShellCommand Command(string script) => new(new CommandLine([script]), TimeSpan.FromSeconds(10));

    private RenderJob Job(int index, string file, IRenderCommand command)
    {
        var destination = Path.Combine(_folder, file);
        var config = new TemplateConfig("unused.ctmpl", destination, null, null, null, TimeSpan.FromSeconds(10), null, Routed: false, CreateDestinationFolder: false);
        return new RenderJob(index, config, CompiledTemplate.Parse("", "unused.ctmpl"), new FileTarget(destination, null, null, [command], createFolder: false));
    }
}
