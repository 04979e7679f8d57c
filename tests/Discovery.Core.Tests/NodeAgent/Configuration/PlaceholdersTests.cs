using Discovery.Core.NodeAgent.Configuration;

namespace Discovery.Core.Tests.NodeAgent.Configuration;

public sealed class PlaceholdersTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["port"] = "9001", ["address"] = "127.0.0.21", ["instance"] = "web-n1-9001", ["app"] = "web", ["node"] = "n1",
    };

    [Theory]
    [InlineData("--port={port}", "--port=9001")]
    [InlineData("{address}:{port}", "127.0.0.21:9001")]
    [InlineData("/var/log/{app}/{instance}", "/var/log/web/web-n1-9001")]
    [InlineData("echo ${{HOME}} {{literal}}", "echo ${HOME} {literal}")]
    [InlineData("no placeholders", "no placeholders")]
    [InlineData("{unclosed", "{unclosed")]
    [InlineData("{node}{}", "n1{}")]
    public void Expand_Template_ReplacesKnownPlaceholders(string template, string expected)
    {
        Assert.Equal(expected, Placeholders.Expand(template, Values));
    }

    [Theory]
    [InlineData("--port={prot}", new[] { "prot" })]
    [InlineData("${HOME} {x}", new[] { "HOME", "x" })]
    [InlineData("${{HOME}} {port}", new string[0])]
    public void FindUnknown_Template_ListsUnknownNames(string template, string[] expected)
    {
        Assert.Equal(expected, Placeholders.FindUnknown(template));
    }
}
