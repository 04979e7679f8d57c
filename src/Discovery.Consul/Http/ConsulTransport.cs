using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Discovery.Consul.Durations;
using Discovery.Consul.Queries;
using Discovery.Consul.Resilience;
using Discovery.Consul.Telemetry;
using Polly;

namespace Discovery.Consul.Http;

/// <summary>
/// The one place that speaks HTTP to Consul: token header, datacenter, blocking-query
/// parameters and headers, per-request timeouts sized for blocking queries (on the client's
/// <see cref="TimeProvider"/>), retries of reads (<see cref="ConsulRetry"/>), and errors that name the endpoint but never the token.
/// </summary>
internal sealed class ConsulTransport : IDisposable
{
    private readonly ConsulClientOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<ConsulResponse> _readRetry;

    public ConsulTransport(ConsulClientOptions options, HttpMessageHandler? handler, TimeProvider time)
    {
        _options = options;
        _time = time;
        _http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true)
        {
            BaseAddress = options.Address,
            // Each request gets its own deadline (blocking queries need far longer than writes).
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // A read is worth another try when Consul did not answer or answered 5xx (no leader yet,
        // a server restarting); Polly decides that on the answer itself. Writes are never retried
        // here: only the caller knows whether repeating one is safe.
        _readRetry = ConsulRetry.Create<ConsulResponse>(options.ReadRetry, time,
            outcome => outcome.Exception is ConsulUnavailableException || outcome.Result is { Status: >= HttpStatusCode.InternalServerError });
    }

    public Uri Address => _options.Address;

    /// <summary>Reads <paramref name="path"/>; 404 is an answer (empty body), not an error, so watches of missing keys work.</summary>
    public async Task<ConsulResponse> GetAsync(string path, QueryString query, QueryOptions options, CancellationToken cancellationToken)
    {
        AddReadParameters(query, options);
        var timeout = options.Index > 0 || options.Wait is not null
            ? BlockingTimeout(options.Wait ?? TimeSpan.FromMinutes(5))
            : _options.RequestTimeout;
        var blocking = options.Index > 0;
        if (blocking)
        {
            ConsulRequestMeter.BlockingStarted(path);
        }

        ConsulResponse response;
        try
        {
            response = await _readRetry.ExecuteAsync(
                async ct => await SendAsync(HttpMethod.Get, path, query, null, options.Token, timeout, ct, blocking).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (blocking)
            {
                ConsulRequestMeter.BlockingEnded(path);
            }
        }

        return Accept(response, HttpMethod.Get, path, HttpStatusCode.NotFound);
    }

    /// <summary>Reads and decodes JSON; a 404 yields <paramref name="whenNotFound"/> with the index Consul sent (so a missing key can be watched).</summary>
    public async Task<QueryResult<T>> QueryAsync<T>(string path, QueryString query, QueryOptions? options, JsonTypeInfo<T> type, T whenNotFound, CancellationToken cancellationToken)
    {
        var response = await GetAsync(path, query, options ?? QueryOptions.Default, cancellationToken).ConfigureAwait(false);
        // Consul answers "unknown" either with 404 or with a literal null (e.g. /catalog/node/:missing).
        var value = response.Status == HttpStatusCode.NotFound ? whenNotFound : DecodeOrNull(response, type) ?? whenNotFound;
        return new QueryResult<T>(value, response.Index, response.KnownLeader, response.LastContact);
    }

    /// <summary>Sends a write and decodes its JSON answer.</summary>
    public async Task<T> WriteAsync<T>(HttpMethod method, string path, QueryString query, HttpContent? content, WriteOptions? options, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await WriteAsync(method, path, query, content, options ?? WriteOptions.Default, cancellationToken).ConfigureAwait(false);
        return Decode(response, type, path);
    }

    /// <summary>Sends a write once. <paramref name="acceptedErrors"/> lists non-2xx statuses that carry an answer (e.g. 409 for a rolled-back txn).</summary>
    public async Task<ConsulResponse> WriteAsync(HttpMethod method, string path, QueryString query, HttpContent? content, WriteOptions options, CancellationToken cancellationToken, params HttpStatusCode[] acceptedErrors)
    {
        query.Add("dc", options.Datacenter ?? _options.Datacenter);
        var response = await SendAsync(method, path, query, content, options.Token, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return Accept(response, method, path, acceptedErrors);
    }

    public static T Decode<T>(ConsulResponse response, JsonTypeInfo<T> type, string path) =>
        JsonSerializer.Deserialize(response.Body, type)
        ?? throw new ConsulApiException(response.Status, "GET", path, "Consul returned an empty body where JSON was expected");

    private static T? DecodeOrNull<T>(ConsulResponse response, JsonTypeInfo<T> type) =>
        response.Body.Length == 0 ? default : JsonSerializer.Deserialize(response.Body, type);

    public static HttpContent Json<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Consul adds up to wait/16 of jitter to a blocking query; give it that plus our normal timeout.</summary>
    internal TimeSpan BlockingTimeout(TimeSpan wait) => wait + (wait / 16) + _options.RequestTimeout;

    private void AddReadParameters(QueryString query, QueryOptions options)
    {
        query.Add("dc", options.Datacenter ?? _options.Datacenter);
        if (options.Index > 0)
        {
            query.Add("index", options.Index.ToString(CultureInfo.InvariantCulture));
        }

        if (options.Wait is { } wait)
        {
            query.Add("wait", GoDuration.Format(wait));
        }

        query.Flag("consistent", options.Consistency == ConsistencyMode.Consistent);
        query.Flag("stale", options.Consistency == ConsistencyMode.Stale);
        query.Add("filter", options.Filter);
    }

    /// <summary>One request; every HTTP answer is returned (the caller decides what is an error), no answer throws <see cref="ConsulUnavailableException"/>.</summary>
    private async Task<ConsulResponse> SendAsync(
        HttpMethod method, string path, QueryString query, HttpContent? content, string? token, TimeSpan timeout, CancellationToken cancellationToken, bool blocking = false)
    {
        var started = _time.GetTimestamp();
        using var request = new HttpRequestMessage(method, path + query);
        request.Content = content;
        var effectiveToken = token ?? _options.Token;
        if (!string.IsNullOrEmpty(effectiveToken))
        {
            request.Headers.TryAddWithoutValidation("X-Consul-Token", effectiveToken);
        }

        using var expiry = new CancellationTokenSource(timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            var outcome = (int)response.StatusCode < 400 || response.StatusCode == HttpStatusCode.NotFound ? ConsulRequestMeter.OutcomeOk : ConsulRequestMeter.OutcomeError;
            ConsulRequestMeter.Record(path, method.Method, outcome, blocking, _time.GetElapsedTime(started));
            return new ConsulResponse(response.StatusCode, body, ReadIndex(response), ReadKnownLeader(response), ReadLastContact(response));
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            ConsulRequestMeter.Record(path, method.Method, ConsulRequestMeter.OutcomeUnavailable, blocking, _time.GetElapsedTime(started));
            throw new ConsulUnavailableException(method.Method, path, _options.Address, $"no answer within {GoDuration.Format(timeout)}", error);
        }
        catch (HttpRequestException error)
        {
            ConsulRequestMeter.Record(path, method.Method, ConsulRequestMeter.OutcomeUnavailable, blocking, _time.GetElapsedTime(started));
            throw new ConsulUnavailableException(method.Method, path, _options.Address, Describe(error), error);
        }
    }

    /// <summary>The answer when it is a success or one of <paramref name="acceptedErrors"/>; otherwise the error Consul gave.</summary>
    private static ConsulResponse Accept(ConsulResponse response, HttpMethod method, string path, params HttpStatusCode[] acceptedErrors)
    {
        if ((int)response.Status is >= 200 and < 300 || acceptedErrors.Contains(response.Status))
        {
            return response;
        }

        throw new ConsulApiException(response.Status, method.Method, path, System.Text.Encoding.UTF8.GetString(response.Body));
    }

    private static string Describe(HttpRequestException error) =>
        error.InnerException is { } inner ? $"{error.Message} ({inner.Message})" : error.Message;

    private static ulong ReadIndex(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Consul-Index", out var values)
        && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;

    private static bool ReadKnownLeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Consul-KnownLeader", out var values)
        && string.Equals(values.FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);

    private static TimeSpan ReadLastContact(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Consul-LastContact", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    private static SocketsHttpHandler CreateHandler(ConsulClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (options.CaFile is { } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false; // a name mismatch is never forgiven
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            };
        }

        return handler;
    }
}
