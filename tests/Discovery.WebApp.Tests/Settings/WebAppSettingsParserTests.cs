using System.Net;
using Discovery.WebApp.Settings;

namespace Discovery.WebApp.Tests.Settings;

public sealed class WebAppSettingsParserTests
{
    private const string DefaultNode = "this-host";

    [Fact]
    public void Parse_OnlyPort_UsesDefaults()
    {
        var result = Parse(["--port", "8080"]);

        Assert.Empty(result.Errors);
        Assert.Equal(
            new WebAppSettings("web", "1.0.0", DefaultNode, "web-this-host-8080", IPAddress.Loopback, 8080, TimeSpan.FromSeconds(10), TimeSpan.Zero),
            result.Settings);
    }

    [Theory]
    [InlineData(new[] { "--port", "8080", "--app", "shop" }, "App", "shop")]
    [InlineData(new[] { "--port=8080", "--app=shop" }, "App", "shop")]
    [InlineData(new[] { "--port", "8080", "--version", "2.0.0-rc.1" }, "Version", "2.0.0-rc.1")]
    [InlineData(new[] { "--port", "8080", "--node", "n1" }, "Node", "n1")]
    [InlineData(new[] { "--port", "8080", "--node", "n1" }, "Instance", "web-n1-8080")]
    [InlineData(new[] { "--port", "8080", "--instance", "i-7" }, "Instance", "i-7")]
    [InlineData(new[] { "--port", "8080", "--address", "127.0.0.21" }, "Address", "127.0.0.21")]
    [InlineData(new[] { "--port", "8080", "--address", "::1" }, "Address", "::1")]
    [InlineData(new[] { "--port", "65535" }, "Port", "65535")]
    [InlineData(new[] { "--port", "1" }, "Port", "1")]
    [InlineData(new[] { "--port", "8080", "--drain-timeout", "2.5" }, "DrainTimeout", "00:00:02.5000000")]
    [InlineData(new[] { "--port", "8080", "--drain-timeout", "0" }, "DrainTimeout", "00:00:00")]
    [InlineData(new[] { "--port", "8080", "--startup-delay", "1500" }, "StartupDelay", "00:00:01.5000000")]
    public void Parse_ValidArguments_SetsTheSetting(string[] args, string property, string expected)
    {
        var result = Parse(args);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, Read(result.Settings!, property));
    }

    [Theory]
    [InlineData(new string[0], "--port (or WEBAPP_PORT) is required")]
    [InlineData(new[] { "--port", "0" }, "--port '0' is not a port number (1-65535)")]
    [InlineData(new[] { "--port", "65536" }, "--port '65536' is not a port number (1-65535)")]
    [InlineData(new[] { "--port", "-1" }, "--port '-1' is not a port number (1-65535)")]
    [InlineData(new[] { "--port", "80a" }, "--port '80a' is not a port number (1-65535)")]
    [InlineData(new[] { "--port" }, "--port needs a value <n>")]
    [InlineData(new[] { "--port", "--app", "x" }, "--port needs a value <n>")]
    [InlineData(new[] { "--port", "1", "--port", "2" }, "--port is given more than once")]
    [InlineData(new[] { "--port", "1", "--colour", "red" }, "unknown option '--colour'")]
    [InlineData(new[] { "--port", "1", "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "--port", "1", "-p" }, "unexpected argument '-p'")]
    [InlineData(new[] { "--port", "1", "--address", "localhost" }, "--address 'localhost' is not an IP address")]
    [InlineData(new[] { "--port", "1", "--app", "my app" }, "--app 'my app' may only hold letters, digits, '-', '_' and '.'")]
    [InlineData(new[] { "--port", "1", "--app", "" }, "--app must not be empty")]
    [InlineData(new[] { "--port", "1", "--node", "a/b" }, "--node 'a/b' may only hold letters, digits, '-', '_' and '.'")]
    [InlineData(new[] { "--port", "1", "--instance", "-x" }, "--instance '-x' may only hold letters, digits, '-', '_' and '.'")]
    [InlineData(new[] { "--port", "1", "--version", " " }, "--version must not be empty")]
    [InlineData(new[] { "--port", "1", "--drain-timeout", "-1" }, "--drain-timeout '-1' must be seconds between 0 and 3600")]
    [InlineData(new[] { "--port", "1", "--drain-timeout", "3601" }, "--drain-timeout '3601' must be seconds between 0 and 3600")]
    [InlineData(new[] { "--port", "1", "--drain-timeout", "ten" }, "--drain-timeout 'ten' must be seconds between 0 and 3600")]
    [InlineData(new[] { "--port", "1", "--startup-delay", "1.5" }, "--startup-delay '1.5' must be milliseconds between 0 and 600000")]
    [InlineData(new[] { "--port", "1", "--startup-delay", "600001" }, "--startup-delay '600001' must be milliseconds between 0 and 600000")]
    public void Parse_InvalidArguments_ReportsTheProblem(string[] args, string expectedError)
    {
        var result = Parse(args);

        Assert.Null(result.Settings);
        Assert.Contains(expectedError, result.Errors);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var result = Parse(["--port", "x", "--address", "nowhere", "--bogus", "--drain-timeout", "-2"]);

        Assert.Equal(
            [
                "unknown option '--bogus'",
                "--address 'nowhere' is not an IP address",
                "--port 'x' is not a port number (1-65535)",
                "--drain-timeout '-2' must be seconds between 0 and 3600",
            ],
            result.Errors);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void Parse_HelpFlag_RequestsHelpEvenWithOtherErrors(string flag)
    {
        var result = Parse(["--bogus", flag]);

        Assert.True(result.HelpRequested);
        Assert.Null(result.Settings);
    }

    [Fact]
    public void Parse_EnvironmentOnly_ReadsEveryVariable()
    {
        var environment = new Dictionary<string, string>
        {
            ["WEBAPP_APP"] = "shop",
            ["WEBAPP_VERSION"] = "3.1",
            ["WEBAPP_NODE"] = "n2",
            ["WEBAPP_INSTANCE"] = "shop-2",
            ["WEBAPP_ADDRESS"] = "127.0.0.22",
            ["WEBAPP_PORT"] = "9001",
            ["WEBAPP_DRAIN_TIMEOUT"] = "4",
            ["WEBAPP_STARTUP_DELAY"] = "250",
        };

        var result = WebAppSettingsParser.Parse([], name => environment.GetValueOrDefault(name), DefaultNode);

        Assert.Equal(
            new WebAppSettings("shop", "3.1", "n2", "shop-2", IPAddress.Parse("127.0.0.22"), 9001, TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(250)),
            result.Settings);
    }

    [Fact]
    public void Parse_ArgumentAndEnvironment_ArgumentWins()
    {
        var environment = new Dictionary<string, string> { ["WEBAPP_PORT"] = "9001", ["WEBAPP_APP"] = "env-app" };

        var result = WebAppSettingsParser.Parse(["--port", "9002"], name => environment.GetValueOrDefault(name), DefaultNode);

        Assert.Equal(9002, result.Settings!.Port);
        Assert.Equal("env-app", result.Settings.App);
    }

    [Fact]
    public void Parse_InvalidEnvironmentValue_NamesTheVariable()
    {
        var result = WebAppSettingsParser.Parse([], name => name == "WEBAPP_PORT" ? "http" : null, DefaultNode);

        Assert.Equal(["WEBAPP_PORT 'http' is not a port number (1-65535)"], result.Errors);
    }

    private static SettingsParseResult Parse(string[] args) => WebAppSettingsParser.Parse(args, _ => null, DefaultNode);

    private static string Read(WebAppSettings settings, string property) => property switch
    {
        "App" => settings.App,
        "Version" => settings.Version,
        "Node" => settings.Node,
        "Instance" => settings.Instance,
        "Address" => settings.Address.ToString(),
        "Port" => settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "DrainTimeout" => settings.DrainTimeout.ToString(),
        "StartupDelay" => settings.StartupDelay.ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(property), property, null),
    };
}
