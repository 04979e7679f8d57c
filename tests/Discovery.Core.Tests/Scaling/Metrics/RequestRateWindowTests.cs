using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Tests.Scaling.Metrics;

public sealed class RequestRateWindowTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly RequestRateWindowOptions Options = new()
    {
        Window = TimeSpan.FromSeconds(60),
        MaxSampleGap = TimeSpan.FromSeconds(30),
        MaxStaleness = TimeSpan.FromSeconds(30),
        MinSamples = 2,
    };

    /// <summary>Samples as "seconds:counter" pairs separated by spaces; the rate is read at the last sample's time plus <c>readDelay</c>.</summary>
    [Theory]
    [InlineData("steady 60 rpm", "0:0 10:10 20:20 30:30 40:40 50:50 60:60", 0, 60.0)]
    [InlineData("steady 600 rpm", "0:1000 10:1100 20:1200 30:1300", 0, 600.0)]
    [InlineData("idle", "0:500 10:500 20:500", 0, 0.0)]
    [InlineData("two samples one second apart", "0:0 1:5", 0, 300.0)]
    [InlineData("burst averaged over the window", "0:0 10:0 20:0 30:600 40:600 50:600 60:600", 0, 600.0)]
    [InlineData("old samples slide out of the window", "0:0 10:1000 20:1000 30:1000 40:1000 50:1000 60:1000 70:1010", 0, 10.0)]
    [InlineData("counter reset counts from the new value", "0:1000 10:1010 20:5 30:15", 0, 50.0)]
    [InlineData("reset to zero adds nothing", "0:1000 10:1010 20:0 30:10", 0, 40.0)]
    [InlineData("read a little after the last sample", "0:0 10:10 20:20", 5, 60.0)]
    [InlineData("gap outside the window is forgotten", "0:0 50:0 60:10 70:20 80:30 90:40 100:50 110:60", 0, 60.0)]
    public void RequestsPerMinute_Samples_ReturnsRate(string scenario, string samples, int readDelaySeconds, double expectedRpm)
    {
        var (window, last) = Fill(samples);
        var reading = window.RequestsPerMinute(last.AddSeconds(readDelaySeconds));
        Assert.False(reading.IsMissing, $"{scenario}: {reading.MissingReason}");
        Assert.Equal(expectedRpm, reading.Value!.Value, precision: 6);
    }

    [Theory]
    [InlineData("no samples", "", 0, "0 sample(s)")]
    [InlineData("single sample", "0:100", 0, "1 sample(s)")]
    [InlineData("gap between samples", "0:0 10:10 45:50", 0, "gap of 35s")]
    [InlineData("stale latest sample", "0:0 10:10 20:20", 31, "latest sample is 31s old")]
    [InlineData("all samples slid out of the window", "0:0 10:10", 29 + 60, "latest sample is")]
    public void RequestsPerMinute_NotEnoughData_IsMissingWithReason(string scenario, string samples, int readDelaySeconds, string expectedReason)
    {
        var (window, last) = Fill(samples);
        var reading = window.RequestsPerMinute(last.AddSeconds(readDelaySeconds));
        Assert.True(reading.IsMissing, scenario);
        Assert.Contains(expectedReason, reading.MissingReason, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestsPerMinute_WindowMovedPastSamplesWithLongStaleness_IsMissing()
    {
        var window = new RequestRateWindow(Options with { MaxStaleness = TimeSpan.FromHours(1) });
        window.Add(T0, 0);
        window.Add(T0.AddSeconds(10), 10);
        var reading = window.RequestsPerMinute(T0.AddSeconds(65));
        Assert.True(reading.IsMissing);
        Assert.Contains("1 sample(s) in the last 60s", reading.MissingReason, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestsPerMinute_AfterFailedScrape_IsMissingUntilNextSample()
    {
        var (window, last) = Fill("0:0 10:10 20:20");
        window.AddFailure(last.AddSeconds(10), "connection refused");
        var failed = window.RequestsPerMinute(last.AddSeconds(10));
        Assert.True(failed.IsMissing);
        Assert.Contains("connection refused", failed.MissingReason, StringComparison.Ordinal);

        window.Add(last.AddSeconds(20), 40);
        var recovered = window.RequestsPerMinute(last.AddSeconds(20));
        Assert.Equal(60.0, recovered.Value!.Value, precision: 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Add_SampleNotNewerThanLast_IsIgnored(int secondsAfterLast)
    {
        var (window, last) = Fill("0:0 10:10");
        Assert.False(window.Add(last.AddSeconds(secondsAfterLast), 1_000_000));
        Assert.Equal(60.0, window.RequestsPerMinute(last).Value!.Value, precision: 6);
    }

    [Fact]
    public void Add_ManySamples_KeepsOnlyTheWindow()
    {
        var window = new RequestRateWindow(Options);
        for (var i = 0; i < 1000; i++)
        {
            window.Add(T0.AddSeconds(i), i);
        }

        Assert.Equal(61, window.SampleCount);
    }

    [Theory]
    [InlineData(0, 30, 30, 2)]
    [InlineData(60, 0, 30, 2)]
    [InlineData(60, 30, -1, 2)]
    [InlineData(60, 30, 30, 1)]
    public void Constructor_InvalidOptions_Throws(int windowSeconds, int gapSeconds, int stalenessSeconds, int minSamples)
    {
        var options = new RequestRateWindowOptions
        {
            Window = TimeSpan.FromSeconds(windowSeconds),
            MaxSampleGap = TimeSpan.FromSeconds(gapSeconds),
            MaxStaleness = TimeSpan.FromSeconds(stalenessSeconds),
            MinSamples = minSamples,
        };
        Assert.Throws<ArgumentException>(() => new RequestRateWindow(options));
    }

    /// <summary>The stub_status case: every sample's own scrape is in the counter and is not traffic.</summary>
    [Theory]
    [InlineData("idle, only our 1 s scrapes", "0:1 1:2 2:3 3:4 4:5", 0.0)]
    [InlineData("60 rpm of clients plus our scrapes", "0:1 1:3 2:5 3:7", 60.0)]
    [InlineData("counter reset: the new value holds our scrape too", "0:100 1:102 2:1 3:3", 40.0)]
    [InlineData("reset to our scrape alone adds nothing", "0:100 1:101 2:1 3:2", 0.0)]
    public void RequestsPerMinute_OneOwnRequestPerSample_NotCountedAsTraffic(string scenario, string samples, double expectedRpm)
    {
        var (window, last) = Fill(samples, Options with { OwnRequestsPerSample = 1 });
        var reading = window.RequestsPerMinute(last);
        Assert.False(reading.IsMissing, $"{scenario}: {reading.MissingReason}");
        Assert.Equal(expectedRpm, reading.Value!.Value, precision: 6);
    }

    private static (RequestRateWindow Window, DateTimeOffset Last) Fill(string samples, RequestRateWindowOptions? options = null)
    {
        var window = new RequestRateWindow(options ?? Options);
        var last = T0;
        foreach (var pair in samples.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(':');
            last = T0.AddSeconds(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(window.Add(last, long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return (window, last);
    }
}
