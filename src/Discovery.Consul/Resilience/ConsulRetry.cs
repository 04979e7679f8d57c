using System.Diagnostics.CodeAnalysis;
using Polly;
using Polly.Retry;

namespace Discovery.Consul.Resilience;

/// <summary>
/// The one retry policy of everything that talks to Consul (the transport's reads, blocking
/// watches, the node agent's registrar …): exponential backoff with jitter, capped, on the
/// caller's <see cref="TimeProvider"/> so a test clock rules it. Jitter keeps many agents from
/// hammering a recovering Consul in step; Polly draws it, so no caller needs a random source.
/// </summary>
public static class ConsulRetry
{
    /// <summary>Retries a call that throws a <see cref="ConsulException"/>; anything else (cancellation included) ends it at once.</summary>
    /// <param name="options">Limits; invalid limits throw <see cref="ArgumentException"/>.</param>
    /// <param name="time">Clock of the delays.</param>
    /// <param name="onRetry">Told of each failure and the delay before the next try (logging, health).</param>
    public static ResiliencePipeline Create(RetryOptions options, TimeProvider time, Action<ConsulException, TimeSpan>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (Tries(options) == 0)
        {
            return ResiliencePipeline.Empty;
        }

        var strategy = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ConsulException>(),
            OnRetry = onRetry is null ? null : arguments =>
            {
                onRetry((ConsulException)arguments.Outcome.Exception!, arguments.RetryDelay);
                return default;
            },
        };
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(Shaped<RetryStrategyOptions, object>(strategy, options)).Build();
    }

    /// <summary>The same policy for a call whose result can itself be a failure (the transport's 5xx answers).</summary>
    // Polly's typed retry asks the trimmer to keep T's members (the native `agent` is trimmed).
    internal static ResiliencePipeline<T> Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(RetryOptions options, TimeProvider time, Func<Outcome<T>, bool> isTransient)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Tries(options) == 0)
        {
            return ResiliencePipeline<T>.Empty;
        }

        var strategy = new RetryStrategyOptions<T> { ShouldHandle = arguments => ValueTask.FromResult(isTransient(arguments.Outcome)) };
        return new ResiliencePipelineBuilder<T> { TimeProvider = time }.AddRetry(Shaped<RetryStrategyOptions<T>, T>(strategy, options)).Build();
    }

    /// <summary>The shape every retry shares: exponential from the base delay, jittered, capped.</summary>
    private static TStrategy Shaped<TStrategy, TResult>(TStrategy strategy, RetryOptions options)
        where TStrategy : RetryStrategyOptions<TResult>
    {
        strategy.MaxRetryAttempts = Tries(options);
        strategy.Delay = options.BaseDelay;
        strategy.MaxDelay = options.MaxDelay;
        strategy.BackoffType = DelayBackoffType.Exponential;
        strategy.UseJitter = true;
        return strategy;
    }

    private static int Tries(RetryOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid retry options: " + string.Join("; ", errors), nameof(options));
        }

        return options.MaxRetries ?? int.MaxValue;
    }
}
