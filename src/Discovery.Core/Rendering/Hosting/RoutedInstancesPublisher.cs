using System.Globalization;
using System.Text;
using System.Text.Json;
using Discovery.Consul;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// Writes <c>&lt;prefix&gt;/lb/&lt;name&gt;/routed</c> = <c>{"instances":[…],"at":"…"}</c>: the
/// instance IDs this load balancer routes to since its last successful install. Node agents wait
/// on it while draining, <c>agent scale --wait</c> to know a new instance gets traffic.
/// </summary>
internal sealed class RoutedInstancesPublisher
{
    private readonly ConsulClient _client;
    private readonly TimeProvider _time;

    public RoutedInstancesPublisher(ConsulClient client, string prefix, string lbName, TimeProvider time)
    {
        _client = client;
        _time = time;
        Key = $"{prefix.Trim('/')}/lb/{lbName}/routed";
    }

    public string Key { get; }

    public async Task PublishAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        var written = await _client.KV.PutStringAsync(Key, Format(instanceIds, _time.GetUtcNow()), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!written)
        {
            throw new InvalidOperationException($"Consul did not store {Key}");
        }
    }

    internal static string Format(IReadOnlyList<string> instanceIds, DateTimeOffset at)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("instances");
            foreach (var id in instanceIds)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
            json.WriteString("at", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
