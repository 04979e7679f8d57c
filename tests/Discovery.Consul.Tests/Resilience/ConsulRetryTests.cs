using System.Net;
using Discovery.Consul.Resilience;

namespace Discovery.Consul.Tests.Resilience;

/// <summary>The one retry policy: what it retries, how often, and what it reports.</summary>
public sealed class ConsulRetryTests
{
    private static readonly RetryOptions Fast = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task ExecuteAsync_ConsulFailsTwice_RetriedUntilItAnswersAndEachFailureReported()
    {
        var attempts = 0;
        var reported = new List<TimeSpan>();
        var retry = ConsulRetry.Create(Fast, TimeProvider.System, (_, delay) => reported.Add(delay));

        var answer = await retry.ExecuteAsync(_ => ++attempts <= 2 ? throw Unavailable() : ValueTask.FromResult(42), CancellationToken.None);

        Assert.Equal(42, answer);
        Assert.Equal(3, attempts);
        Assert.Equal(2, reported.Count);
        Assert.All(reported, delay => Assert.InRange(delay, TimeSpan.Zero, Fast.MaxDelay));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 4)]
    public async Task ExecuteAsync_ConsulKeepsFailing_GivesUpAfterMaxRetries(int maxRetries, int expectedAttempts)
    {
        var attempts = 0;
        var retry = ConsulRetry.Create(Fast with { MaxRetries = maxRetries }, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ConsulApiException>(() =>
            retry.ExecuteAsync<int>(_ => { attempts++; throw new ConsulApiException(HttpStatusCode.Forbidden, "GET", "/v1/kv/x", "Permission denied"); }, CancellationToken.None).AsTask());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(expectedAttempts, attempts);
    }

    [Fact]
    public async Task ExecuteAsync_OtherException_NotRetried()
    {
        var attempts = 0;
        var retry = ConsulRetry.Create(Fast, TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            retry.ExecuteAsync<int>(_ => { attempts++; throw new InvalidOperationException("a bug, not an outage"); }, CancellationToken.None).AsTask());

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileBackingOff_StopsAtOnce()
    {
        using var stop = new CancellationTokenSource();
        var retry = ConsulRetry.Create(new RetryOptions { BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1) }, TimeProvider.System, (_, _) => stop.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            retry.ExecuteAsync<int>(_ => throw Unavailable(), stop.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(0, 1000, null, "BaseDelay must be greater than 0")]
    [InlineData(500, 100, null, "MaxDelay must be at least BaseDelay")]
    [InlineData(100, 1000, -1, "MaxRetries must not be negative")]
    public void Create_InvalidLimits_ThrowsNamingTheProperty(int baseMs, int maxMs, int? retries, string expected)
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(baseMs), MaxDelay = TimeSpan.FromMilliseconds(maxMs), MaxRetries = retries };

        var error = Assert.Throws<ArgumentException>(() => ConsulRetry.Create(options, TimeProvider.System));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ConsulUnavailableException Unavailable() =>
        new("GET", "/v1/kv/x", new Uri("http://127.0.0.1:1"), "connection refused");
}
