using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Tests.Scaling.Metrics;

public sealed class RequestRateAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Readings as "lb=value" or "lb=-" (missing), separated by spaces.</summary>
    [Theory]
    [InlineData("lb1=60", false, 60.0)]
    [InlineData("lb1=60 lb2=40", false, 100.0)]
    [InlineData("lb1=0 lb2=0 lb3=0", false, 0.0)]
    [InlineData("lb1=60 lb2=-", true, 0.0)]
    [InlineData("lb1=- lb2=-", true, 0.0)]
    [InlineData("", true, 0.0)]
    public void Sum_Readings_SumsOrIsMissing(string readings, bool expectMissing, double expectedSum)
    {
        var parsed = readings.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Split('='))
            .Select(p => KeyValuePair.Create(p[0], p[1] == "-" ? MetricReading.Missing("unreachable") : MetricReading.Of(double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))));
        var sum = RequestRateAggregator.Sum(parsed);
        Assert.Equal(expectMissing, sum.IsMissing);
        if (!expectMissing)
        {
            Assert.Equal(expectedSum, sum.Value!.Value, precision: 6);
        }
    }

    [Fact]
    public void Sum_OneLoadBalancerMissing_ReasonNamesIt()
    {
        var sum = RequestRateAggregator.Sum([
            KeyValuePair.Create("lb-a", MetricReading.Of(10)),
            KeyValuePair.Create("lb-b", MetricReading.Missing("connection refused")),
        ]);
        Assert.Equal("lb-b: connection refused", sum.MissingReason);
    }

    [Fact]
    public void RequestsPerMinute_TwoLoadBalancers_SumsTheirRates()
    {
        var aggregator = new RequestRateAggregator(new RequestRateWindowOptions());
        for (var i = 0; i <= 6; i++)
        {
            aggregator.Record("lb1", T0.AddSeconds(i * 10), i * 10);
            aggregator.Record("lb2", T0.AddSeconds(i * 10), 500 + (i * 20));
        }

        Assert.Equal(180.0, aggregator.RequestsPerMinute(T0.AddSeconds(60)).Value!.Value, precision: 6);
    }

    [Fact]
    public void RequestsPerMinute_NewLoadBalancerWithoutSamples_IsMissing()
    {
        var aggregator = new RequestRateAggregator(new RequestRateWindowOptions());
        aggregator.Record("lb1", T0, 0);
        aggregator.Record("lb1", T0.AddSeconds(10), 10);
        aggregator.SetLoadBalancers(["lb1", "lb2"]);

        var reading = aggregator.RequestsPerMinute(T0.AddSeconds(10));
        Assert.True(reading.IsMissing);
        Assert.StartsWith("lb2: 0 sample(s)", reading.MissingReason, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestsPerMinute_LoadBalancerLeftCatalog_IsForgotten()
    {
        var aggregator = new RequestRateAggregator(new RequestRateWindowOptions());
        aggregator.Record("lb1", T0, 0);
        aggregator.Record("lb1", T0.AddSeconds(10), 10);
        aggregator.RecordFailure("lb2", T0.AddSeconds(10), "connection refused");
        Assert.True(aggregator.RequestsPerMinute(T0.AddSeconds(10)).IsMissing);

        aggregator.SetLoadBalancers(["lb1"]);

        Assert.Equal(["lb1"], aggregator.LoadBalancers);
        Assert.Equal(60.0, aggregator.RequestsPerMinute(T0.AddSeconds(10)).Value!.Value, precision: 6);
    }

    [Fact]
    public void RequestsPerMinute_NoLoadBalancers_IsMissing()
    {
        var aggregator = new RequestRateAggregator(new RequestRateWindowOptions());
        Assert.Equal("no load balancers known", aggregator.RequestsPerMinute(T0).MissingReason);
    }
}
