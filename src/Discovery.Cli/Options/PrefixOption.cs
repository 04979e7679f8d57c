using System.CommandLine;
using Discovery.Core.Configuration;

namespace Discovery.Cli.Options;

/// <summary>`--prefix`: the KV prefix of the Discovery objects, shared by every verb that reads or writes them.</summary>
internal static class PrefixOption
{
    public static Option<string> Create() => new("--prefix")
    {
        Description = "KV prefix of the Discovery objects.",
        DefaultValueFactory = _ => DiscoveryKeys.DefaultPrefix,
    };
}
