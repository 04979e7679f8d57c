using System.Text.Json;

namespace Discovery.Core.Tests.Rendering.Hosting;

/// <summary>Assertions shared by the renderer's integration tests.</summary>
internal static class RendererTestRigAssertions
{
    public static Task EventuallyRoutesAsync(this RendererTestRig rig, string[] expected)
    {
        HashSet<string> seen = [];
        return RendererTestRig.EventuallyAsync(
            async () =>
            {
                seen = await rig.SampleAsync();
                return seen.SetEquals(expected);
            },
            TimeSpan.FromSeconds(20),
            () => $"nginx routes to [{string.Join(", ", seen)}], expected [{string.Join(", ", expected)}]; renderer: {rig.Service?.LastError}");
    }

    public static Task EventuallyRoutedKeyAsync(this RendererTestRig rig, string[] expected)
    {
        var seen = "";
        return RendererTestRig.EventuallyAsync(
            async () =>
            {
                var pair = (await rig.Client.KV.GetAsync("discovery/lb/lb1/routed")).Value;
                seen = pair?.ValueAsString() ?? "(absent)";
                if (pair is null)
                {
                    return false;
                }

                using var json = JsonDocument.Parse(seen);
                var ids = json.RootElement.GetProperty("instances").EnumerateArray().Select(id => id.GetString()!).ToArray();
                return ids.SequenceEqual(expected.Order(StringComparer.Ordinal)) && json.RootElement.TryGetProperty("at", out _);
            },
            TimeSpan.FromSeconds(20),
            () => $"routed key is {seen}, expected [{string.Join(", ", expected)}]");
    }
}
