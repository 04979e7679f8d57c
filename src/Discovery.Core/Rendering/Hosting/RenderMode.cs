namespace Discovery.Core.Rendering.Hosting;

/// <summary>How <c>agent render</c> runs.</summary>
/// <param name="Once">Render every template once (waiting up to <paramref name="OnceTimeout"/> for data), run checks and commands, exit.</param>
/// <param name="Dry">Print what would be written to <paramref name="DryOutput"/>; no file, check, command, KV write or registration.</param>
/// <param name="OnceTimeout">How long --once waits for data before it names what is missing and fails.</param>
/// <param name="StatusFile">Where to keep the renderer's health as JSON; null = nowhere.</param>
/// <param name="DryOutput">Where --dry prints (stdout).</param>
public sealed record RenderMode(bool Once, bool Dry, TimeSpan OnceTimeout, string? StatusFile, TextWriter DryOutput)
{
    public static readonly TimeSpan DefaultOnceTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The long-running renderer that registers the load balancer and publishes what it routes.</summary>
    public static RenderMode Daemon { get; } = new(false, false, DefaultOnceTimeout, null, TextWriter.Null);
}
