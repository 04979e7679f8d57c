namespace Discovery.Core.Configuration;

/// <summary>The KV prefix of every Discovery key (docs/contract.md) unless a config file or <c>--prefix</c> names another.</summary>
public static class DiscoveryKeys
{
    /// <summary>"discovery": keys are <c>discovery/apps/&lt;app&gt;/…</c> and <c>discovery/lb/&lt;lb&gt;/…</c>.</summary>
    public const string DefaultPrefix = "discovery";
}
