using System.Diagnostics;
using System.Text.Json;
using Discovery.Core.Flags;
using Discovery.Core.Tests.NodeAgent.Hosting;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Flags;

/// <summary>
/// Feature flags end to end: `agent flags set` (<see cref="FlagsOperation"/>) writes KV, the real
/// node agent delivers them to its running sample-app instances, and GET / on each instance shows
/// them — no restart, within a second; a percent rollout gives each request key one stable answer.
/// </summary>
public sealed class FlagsDeliveryTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task SetFlag_TwoRunningInstances_VisibleWithinOneSecondPercentStickyPerKey()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp()));
        await harness.Consul.KV.PutStringAsync("discovery/apps/web/placement/n1", "2");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 2, "two instances passing");
        var instances = (await harness.Consul.Health.ServiceAsync("web", passingOnly: true)).Value.Select(entry => new Uri($"http://{entry.Service.Address}:{entry.Service.Port}/")).ToList();
        var pids = await Task.WhenAll(instances.Select(async uri => (await GetAsync(uri, null)).RootElement.GetProperty("pid").GetInt32()));
        var flags = new FlagsOperation(harness.Consul, "discovery");

        var stopwatch = Stopwatch.StartNew();
        Assert.True((await flags.SetAsync("web", "loud-greeting", "on", 100, CancellationToken.None)).Succeeded);
        foreach (var uri in instances)
        {
            await NodeAgentTestHarness.EventuallyAsync(async () => (await GetAsync(uri, null)).RootElement.GetProperty("message").GetString()!.EndsWith('!'), $"{uri} shouts", TimeSpan.FromSeconds(5));
        }

        output.WriteLine($"flag visible on both instances after {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.ElapsedMilliseconds} ms");

        Assert.True((await flags.SetAsync("web", "loud-greeting", "on", 30, CancellationToken.None)).Succeeded);
        await Task.Delay(1000);
        var answers = new Dictionary<string, HashSet<bool>>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var uri in instances)
            {
                for (var user = 0; user < 100; user++)
                {
                    var body = await GetAsync(uri, $"user-{user}");
                    answers.TryAdd($"user-{user}", []);
                    answers[$"user-{user}"].Add(body.RootElement.GetProperty("flags").GetProperty("loud-greeting").GetBoolean());
                }
            }
        }

        Assert.All(answers, pair => Assert.Single(pair.Value)); // sticky: one answer per key, whichever instance, every time
        Assert.InRange(answers.Count(pair => pair.Value.Single()), 15, 45); // about 30 % of 100 keys

        Assert.True((await flags.SetAsync("web", "loud-greeting", "off", 100, CancellationToken.None)).Succeeded);
        await NodeAgentTestHarness.EventuallyAsync(async () => !(await GetAsync(instances[0], "user-1")).RootElement.GetProperty("flags").GetProperty("loud-greeting").GetBoolean(), "flag off", TimeSpan.FromSeconds(5));
        Assert.Equal(pids, await Task.WhenAll(instances.Select(async uri => (await GetAsync(uri, null)).RootElement.GetProperty("pid").GetInt32()))); // no restart
        Assert.Equal(2, (await flags.SetAsync("web", "bad name", "maybe", 101, CancellationToken.None)).ExitCode);
    }

    private static async Task<JsonDocument> GetAsync(Uri uri, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (user is not null)
        {
            request.Headers.Add("X-User", user);
        }

        using var response = await Http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
