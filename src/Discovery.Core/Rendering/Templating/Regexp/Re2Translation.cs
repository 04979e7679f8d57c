namespace Discovery.Core.Rendering.Templating.Regexp;

/// <summary>
/// A Go pattern rewritten for .NET. Every capturing group is named <c>g&lt;n&gt;</c> in Go's
/// left-to-right order (.NET would number named groups after unnamed ones), and
/// <see cref="GroupNumbers"/> maps Go's group names to those numbers.
/// </summary>
internal sealed record Re2Translation(string Pattern, int GroupCount, IReadOnlyDictionary<string, int> GroupNumbers);
