namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>How a crashed instance is restarted.</summary>
/// <param name="InitialBackoff">Delay before the first restart; doubles per exit within <paramref name="Window"/>. Default 500ms.</param>
/// <param name="MaxBackoff">Cap on the delay; also the delay while crash-looping. Default 30s.</param>
/// <param name="MaxRestarts">More exits than this within <paramref name="Window"/> is a crash loop. Default 5.</param>
/// <param name="Window">Sliding window for counting exits. Default 60s.</param>
public sealed record RestartPolicyConfig(
    TimeSpan InitialBackoff,
    TimeSpan MaxBackoff,
    int MaxRestarts,
    TimeSpan Window)
{
    public static readonly RestartPolicyConfig Default = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), 5, TimeSpan.FromSeconds(60));
}
