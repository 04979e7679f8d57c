using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Configuration.Hcl;
using Discovery.Testing.Tools;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Tests.Rendering.Configuration;

/// <summary>consul-template's HCL, read by the strict reader: the shipped file, the options it maps, and everything it refuses by name.</summary>
public sealed class ConsulTemplateConfigLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("discovery-hcl-").FullName;

    public ConsulTemplateConfigLoaderTests() => File.WriteAllText(Path.Combine(_folder, "a.ctmpl"), "");

    [Fact]
    public void Load_ShippedConsulTemplateHcl_BindsWhatTheVmLabUses()
    {
        // The shipped file names the VM lab's paths; point them at this checkout and a temp folder.
        var text = File.ReadAllText(Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "consul-template.hcl"))
            .Replace("/etc/discovery/nginx-templates", Path.Combine(ToolPaths.RepoRoot, "nginx-templates"), StringComparison.Ordinal)
            .Replace("/etc/discovery-lb", _folder, StringComparison.Ordinal);

        var config = ConsulTemplateConfigLoader.Load(text, _folder).GetConfigOrThrow();

        Assert.Null(config.Name);
        Assert.Null(config.Register);
        Assert.Equal(new QuiescenceWait(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)), config.Wait);
        Assert.Equal(new ConsulRetryConfig(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10)), config.Retry);
        Assert.Equal(LogLevel.Information, config.LogLevel);
        Assert.Equal(2, config.Templates.Count);
        var template = config.Templates[0];
        Assert.Equal(Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "upstreams.ctmpl"), template.Source);
        Assert.Equal(Path.Combine(_folder, "upstreams.candidate.conf"), template.Destination);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, template.Perms);
        Assert.Equal("/bin/sh", template.Command!.Arguments[0]);
        Assert.Equal(3, template.Command.Arguments.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), template.CommandTimeout);
        Assert.Null(template.Check);
        Assert.Null(template.Wait);

        // The peer set: its own short wait, pushed by curl (consul-template has no peer target).
        var peers = config.Templates[1];
        Assert.Equal(Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "peers.ctmpl"), peers.Source);
        Assert.Equal("/var/lib/discovery-lb/peers/peers.txt", peers.Destination);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, peers.Perms);
        Assert.Equal(new QuiescenceWait(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250)), peers.Wait);
        Assert.Equal(["/bin/bash", "-c"], peers.Command!.Arguments.Take(2));
        Assert.Contains("curl -fsS", peers.Command.Arguments[2], StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(10), peers.CommandTimeout);
    }

    [Theory]
    [InlineData("wait { min = \"10ms\"\n max = \"100ms\" }", 10, 100)]
    [InlineData("wait = \"40ms\"", 40, 160)]
    public void Load_TemplateLevelWait_OverridesTheGlobalOne(string wait, int minMs, int maxMs)
    {
        var hcl = $"wait = \"2s\"\ntemplate {{\n  source = \"a.ctmpl\"\n  destination = \"a.conf\"\n  {wait}\n}}\n";

        var config = ConsulTemplateConfigLoader.Load(hcl, _folder).GetConfigOrThrow();

        Assert.Equal(new QuiescenceWait(TimeSpan.FromMilliseconds(minMs), TimeSpan.FromMilliseconds(maxMs)), Assert.Single(config.Templates).Wait);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Wait.Min);
    }

    [Fact]
    public void Load_EveryMappedOption_Binds()
    {
        var hcl = """
            # comment
            consul {
              address = "127.0.0.9:8600"
              token   = "t0ken"   // another comment
              retry { backoff = "100ms", max_backoff = "2s" }
            }
            wait = "2s"
            log_level = "debug"
            /* two templates, repeated blocks */
            template {
              source      = "a.ctmpl"
              destination = "out/a.conf"
              perms       = "640"
              command     = ["touch", "/tmp/x"]
              command_timeout = "5s"
              create_dest_dirs = true
            }
            template {
              source = "a.ctmpl"
              destination = "b.conf"
              perms = 0600
              exec {
                command = <<EOF
            echo one
            EOF
                timeout = "0s"
              }
            }
            """;

        var config = ConsulTemplateConfigLoader.Load(hcl, _folder).GetConfigOrThrow();

        Assert.Equal(new Uri("http://127.0.0.9:8600"), config.Consul.Address);
        Assert.Equal("t0ken", config.Consul.Token);
        Assert.Equal(new ConsulRetryConfig(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2)), config.Retry);
        Assert.Equal(new QuiescenceWait(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8)), config.Wait); // max = 4 × min, as consul-template
        Assert.Equal(LogLevel.Debug, config.LogLevel);
        Assert.Equal(2, config.Templates.Count);
        Assert.Equal(Path.Combine(_folder, "out", "a.conf"), config.Templates[0].Destination);
        Assert.True(config.Templates[0].CreateDestinationFolder);
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), config.Templates[0].Perms);
        Assert.Equal(new CommandLine(["touch", "/tmp/x"]), config.Templates[0].Command);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Templates[0].CommandTimeout);
        Assert.Equal((UnixFileMode)Convert.ToInt32("600", 8), config.Templates[1].Perms);
        Assert.Equal(new CommandLine(["echo one\n"]), config.Templates[1].Command);
        Assert.Equal(TemplateConfig.DefaultCommandTimeout, config.Templates[1].CommandTimeout); // 0 = consul-template's default
    }

    [Fact]
    public void Load_UnsupportedAndUnknownKeys_NamesEachWithItsPath()
    {
        var hcl = """
            vault { address = "https://vault" }
            exec { command = "app" }
            consul {
              ssl { enabled = true }
              adress = "x:1"
              retry { attempts = 12 }
            }
            template {
              source = "a.ctmpl"
              destination = "a.conf"
              backup = true
              left_delimiter = "[["
              error_on_missing_key = true
              exec { command = "x", splay = "5s" }
              comand = "y"
            }
            colour = "red"
            """;

        var result = ConsulTemplateConfigLoader.Load(hcl, _folder);

        Assert.Equal(
            [
                "vault", "exec", "consul.ssl", "consul.retry.attempts", "consul.adress", "template[0].backup", "template[0].left_delimiter",
                "template[0].error_on_missing_key", "template[0].exec.splay", "template[0].comand", "colour",
            ],
            result.Errors.Select(error => error.Path));
        Assert.Contains("not supported by agent render", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean \"address\"", result.Errors[4].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean \"command\"", result.Errors[9].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("template {\n  source = \"a.ctmpl\"\n  destination = \"x\"\n", "line 4, column 1: missing \"}\"")]
    [InlineData("wait = \n", "line 1, column 8: expected a value")]
    [InlineData("template \"name\" {}\n", "line 1, column 10: block labels are not supported")]
    [InlineData("a = \"open\n", "line 1, column 5: string not terminated")]
    [InlineData("a = [\"x\" \"y\"]\n", "line 1, column 10: expected \",\" or \"]\"")]
    [InlineData("a = 09\n", "line 1, column 5: invalid number")]
    [InlineData("a = \"\\q\"\n", "line 1, column 6: unknown escape sequence")]
    [InlineData("/* never closed\n", "line 1, column 1: comment not terminated")]
    [InlineData("a = <<EOF\nno end\n", "line 1, column 5: heredoc not terminated")]
    public void Load_NotHcl_ReportsLineAndColumn(string hcl, string expected)
    {
        var result = ConsulTemplateConfigLoader.Load(hcl, _folder);

        var error = Assert.Single(result.Errors);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wait = \"5s:1s\"", "wait")]
    [InlineData("wait { min = \"2s\", max = \"1s\" }", "wait.max")]
    [InlineData("wait {}\nwait {}", "wait")]
    [InlineData("log_level = \"loud\"", "log_level")]
    [InlineData("consul { token = \"a\", token_file = \"b\" }", "consul.token_file")]
    [InlineData("consul { address = \"ftp://x\" }", "consul.address")]
    public void Load_BadValue_ReportsItsPath(string line, string path)
    {
        var result = ConsulTemplateConfigLoader.Load(line + "\ntemplate { source = \"a.ctmpl\", destination = \"a.conf\" }\n", _folder);

        Assert.Equal([path], result.Errors.Select(error => error.Path));
    }

    [Fact]
    public void Load_NoTemplateAndMissingSource_ReportsBoth()
    {
        Assert.Equal(["template"], ConsulTemplateConfigLoader.Load("wait = \"1s\"\n", _folder).Errors.Select(error => error.Path));
        Assert.Equal(
            ["template[0].source", "template[0].destination"],
            ConsulTemplateConfigLoader.Load("template { source = \"missing.ctmpl\" }\n", _folder).Errors.Select(error => error.Path));
    }

    [Fact]
    public void Parse_Values_BecomeTheConfigTree()
    {
        var document = HclParser.Parse("a = 0x1F\nb = -3\nc = 1.5\nd = true\ne = [1, \"two\",\n]\nf { g = \"${not.interpolated}\" }\n\"quoted key\" = \"\\u00e9\"\n");

        var entries = document.Root.Entries.ToDictionary(entry => entry.Key, entry => entry.Value);
        Assert.Equal(("31", "-3", "1.5", "true"), (entries["a"].Scalar, entries["b"].Scalar, entries["c"].Scalar, entries["d"].Scalar));
        Assert.Equal(["1", "two"], entries["e"].Items.Select(item => item.Scalar));
        Assert.Equal("${not.interpolated}", entries["f"].Entries[0].Value.Scalar);
        Assert.Equal("é", entries["quoted key"].Scalar);
        Assert.Contains(entries["a"], document.Numbers);
        Assert.DoesNotContain(entries["d"], document.Numbers);
        Assert.Equal(ConfigNodeKind.Map, entries["f"].Kind);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
