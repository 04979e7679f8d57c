namespace Discovery.Core.Rendering.Configuration;

/// <summary>How a failed Consul read is retried (consul-template's <c>consul { retry { backoff, max_backoff } }</c>); never given up.</summary>
public sealed record ConsulRetryConfig(TimeSpan Backoff, TimeSpan MaxBackoff)
{
    public static readonly ConsulRetryConfig Default = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
}
