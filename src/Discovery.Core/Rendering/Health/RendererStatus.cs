namespace Discovery.Core.Rendering.Health;

/// <summary>A snapshot of the renderer's own health: what <c>--status-file</c> holds (and what an HTTP health endpoint would serve).</summary>
/// <param name="At">When the snapshot was taken.</param>
/// <param name="Templates">Each template's state, in config order.</param>
/// <param name="ConsulReachable">False while the last Consul query of some watch failed (the last good output keeps serving).</param>
/// <param name="HeldAnswers">Answers that would have lost entries right after a Consul disturbance and were held back.</param>
/// <param name="RejectedEntries">Entries of Consul's answers left out because a value was not valid for a template (each also logged with its reason); a plain counter to export.</param>
public sealed record RendererStatus(DateTimeOffset At, IReadOnlyList<TemplateHealth> Templates, bool ConsulReachable, long HeldAnswers, long RejectedEntries)
{
    /// <summary>Every template rendered and none failing.</summary>
    public bool IsHealthy => Templates.All(template => template.IsHealthy);
}
