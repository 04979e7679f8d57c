using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Discovery.Core.Rendering.Peers;

/// <summary>
/// Talks to nginx's peer endpoint (nginx-templates/lua/discovery/peer_endpoint.lua): pushes a whole
/// peer set (PUT) and reads back the set nginx routes by (GET), each with the bearer secret and a
/// timeout. Everything nginx answers is parsed and checked like any other input.
/// </summary>
internal sealed class PeerEndpointClient
{
    private const string VersionHeader = "X-Discovery-Peers-Version";
    private const string SourceHeader = "X-Discovery-Peers-Source";
    private const string AppsHeader = "X-Discovery-Apps";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _secret;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <param name="http">Shared; requests carry their own timeout.</param>
    public PeerEndpointClient(HttpClient http, Uri endpoint, string secret, TimeSpan timeout, TimeProvider time)
    {
        _http = http;
        _endpoint = endpoint;
        _secret = secret;
        _timeout = timeout;
        _time = time;
    }

    public Uri Endpoint => _endpoint;

    /// <summary>Replaces nginx's peer set with <paramref name="text"/>; the answer carries the set nginx routes by now.</summary>
    /// <exception cref="PeerEndpointException">Unreachable, refused (with nginx's reason) or an unusable answer.</exception>
    public async Task<PeerPushResult> PushAsync(string text, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put);
        request.Content = new StringContent(text, Encoding.UTF8, "text/plain");
        var (body, version, _, apps) = await SendAsync(request, cancellationToken).ConfigureAwait(false);

        // "# accepted …", then "# line n: why" per skipped line, then nginx's set.
        var comments = body.Split('\n').TakeWhile(line => line.StartsWith("# ", StringComparison.Ordinal)).Select(line => line[2..]).ToList();
        var view = View(string.Concat(body.Split('\n').SkipWhile(line => line.StartsWith("# ", StringComparison.Ordinal)).Select(line => line.Length == 0 ? "" : line + "\n")), version, "push", apps);
        return new PeerPushResult(comments.FirstOrDefault() ?? "", comments.Skip(1).ToList(), view);
    }

    /// <summary>The set nginx routes by now.</summary>
    /// <exception cref="PeerEndpointException">Unreachable, refused or an unusable answer.</exception>
    public async Task<PeerEndpointView> ReadAsync(CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get);
        var (body, version, source, apps) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return View(body, version, source, apps);
    }

    private static PeerEndpointView View(string text, long version, string source, IReadOnlySet<string>? apps)
    {
        var set = PeerSetText.Parse(text, out var refusal)
            ?? throw new PeerEndpointException($"nginx answered a peer set we cannot read: {refusal}");
        return new PeerEndpointView(text, version, source, set, apps);
    }

    private HttpRequestMessage Request(HttpMethod method)
    {
        var request = new HttpRequestMessage(method, _endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);
        return request;
    }

    private async Task<(string Body, long Version, string Source, IReadOnlySet<string>? Apps)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new PeerEndpointException($"nginx refused {request.Method} {_endpoint}: {(int)response.StatusCode} {body.Trim()}");
            }

            var versionText = response.Headers.TryGetValues(VersionHeader, out var values) ? values.FirstOrDefault() : null;
            if (!long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new PeerEndpointException($"nginx's answer to {request.Method} {_endpoint} has no valid {VersionHeader} header");
            }

            var source = response.Headers.TryGetValues(SourceHeader, out var sources) ? sources.FirstOrDefault() ?? "" : "";
            var apps = response.Headers.TryGetValues(AppsHeader, out var appLists)
                ? appLists.SelectMany(list => list.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(app => app != "-").ToHashSet(StringComparer.Ordinal)
                : null;
            return (body, version, source, apps);
        }
        catch (HttpRequestException error)
        {
            throw new PeerEndpointException($"nginx's peer endpoint {_endpoint} did not answer: {error.Message}", error) { Unreachable = true };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PeerEndpointException($"nginx's peer endpoint {_endpoint} did not answer within {_timeout.TotalSeconds:0.#} s") { Unreachable = true };
        }
    }
}
