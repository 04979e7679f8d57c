namespace Discovery.Consul.Resilience;

/// <summary>
/// Limits of one retrying caller (<see cref="ConsulRetry"/>): the delay starts at
/// <see cref="BaseDelay"/>, doubles per consecutive failure with jitter, and never exceeds
/// <see cref="MaxDelay"/>; <see cref="MaxRetries"/> bounds the tries (null: until cancelled).
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Never retry: the first failure is the answer.</summary>
    public static readonly RetryOptions None = new() { MaxRetries = 0 };

    /// <summary>First delay after a failure.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Cap of the delay while the failure lasts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Tries after the first; null retries until the caller's cancellation token fires.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Every problem with these limits, each naming its property; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseDelay <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(BaseDelay)} must be greater than 0");
        }

        if (MaxDelay < BaseDelay)
        {
            errors.Add($"{nameof(MaxDelay)} must be at least {nameof(BaseDelay)}");
        }

        if (MaxRetries < 0)
        {
            errors.Add($"{nameof(MaxRetries)} must not be negative");
        }

        return errors;
    }
}
