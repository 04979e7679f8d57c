namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// What a render reads besides Consul: the clock (<c>timestamp</c>) and the process environment
/// (<c>env</c>). Replaceable so tests and golden cases are deterministic.
/// </summary>
/// <param name="Time">The clock; consul-template formats its time in UTC.</param>
/// <param name="GetVariable">Environment lookup; null when unset.</param>
internal sealed record RenderEnvironment(TimeProvider Time, Func<string, string?> GetVariable)
{
    /// <summary>The real clock and the renderer process's own environment.</summary>
    public static RenderEnvironment System { get; } = new(TimeProvider.System, Environment.GetEnvironmentVariable);
}
