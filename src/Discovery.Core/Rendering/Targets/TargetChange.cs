namespace Discovery.Core.Rendering.Targets;

/// <summary>What <see cref="IRenderTarget.ApplyAsync"/> did.</summary>
/// <param name="Kind">Unchanged, changed, or failed.</param>
/// <param name="Error">Why it failed (a check's own words when the check refused).</param>
/// <param name="Undo">Puts the previous content back, when a command after the change fails.</param>
internal sealed record TargetChange(TargetChangeKind Kind, string? Error = null, Func<CancellationToken, Task>? Undo = null)
{
    public static TargetChange Unchanged { get; } = new(TargetChangeKind.Unchanged);

    public static TargetChange Failed(string error) => new(TargetChangeKind.Failed, error);
}
