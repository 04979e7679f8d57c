namespace Discovery.Core.Deploying;

/// <summary>A stored placement value as the deploy reads it: a version map, or a plain count (of whatever version the node config names).</summary>
internal sealed record PlacementVersions(int? PlainCount, IReadOnlyDictionary<string, int>? Versions)
{
    /// <summary>The map, reading a plain count as that many of <paramref name="plainVersion"/>.</summary>
    public IReadOnlyDictionary<string, int> Resolve(string? plainVersion) =>
        Versions ?? (PlainCount is > 0 && plainVersion is not null ? new Dictionary<string, int> { [plainVersion] = PlainCount.Value } : new Dictionary<string, int>());
}
