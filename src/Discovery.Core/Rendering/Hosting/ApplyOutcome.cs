namespace Discovery.Core.Rendering.Hosting;

/// <summary>What applying one template's output did: changed or not, or why it failed (the previous content is in place then).</summary>
internal sealed record ApplyOutcome(RenderJob Job, bool Changed, string? Error);
