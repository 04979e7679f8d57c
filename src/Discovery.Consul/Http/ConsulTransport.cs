using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Discovery.Consul.Durations;
using Discovery.Consul.Queries;
using Polly;
using Polly.Retry;

namespace Discovery.Consul.Http;

/// <summary>
/// The one place that speaks HTTP to Consul: token header, datacenter, blocking-query
/// parameters and headers, per-request timeouts sized for blocking queries, jittered retries of
/// reads, and errors that name the endpoint but never the token.
/// </summary>
internal sealed class ConsulTransport : IDisposable
{
    private readonly ConsulClientOptions _options;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _readRetry;

    public ConsulTransport(ConsulClientOptions options, HttpMessageHandler? handler)
    {
        _options = options;
        _http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true)
        {
            BaseAddress = options.Address,
            // Each request gets its own deadline (blocking queries need far longer than writes).
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _readRetry = options.ReadRetries <= 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = options.ReadRetries,
                    Delay = options.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = new PredicateBuilder()
                        .Handle<HttpRequestException>()
                        .Handle<TimeoutException>()
                        .Handle<TransientStatusException>(),
                })
                .Build();
    }

    public Uri Address => _options.Address;

    /// <summary>Reads <paramref name="path"/>; 404 is an answer (empty body), not an error, so watches of missing keys work.</summary>
    public async Task<ConsulResponse> GetAsync(string path, QueryString query, QueryOptions options, CancellationToken cancellationToken)
    {
        AddReadParameters(query, options);
        var timeout = options.Index > 0 || options.Wait is not null
            ? BlockingTimeout(options.Wait ?? TimeSpan.FromMinutes(5))
            : _options.RequestTimeout;
        try
        {
            return await _readRetry.ExecuteAsync(
                async ct => await SendOnceAsync(HttpMethod.Get, path, query, null, options.Token, timeout, retryable: true, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TransientStatusException transient)
        {
            throw transient.Error;
        }
        catch (TimeoutException timedOut)
        {
            throw new ConsulUnavailableException("GET", path, _options.Address, timedOut.Message, timedOut);
        }
        catch (HttpRequestException error)
        {
            throw new ConsulUnavailableException("GET", path, _options.Address, Describe(error), error);
        }
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
    public Task<ConsulResponse> WriteAsync(HttpMethod method, string path, QueryString query, HttpContent? content, WriteOptions options, CancellationToken cancellationToken, params HttpStatusCode[] acceptedErrors)
    {
        query.Add("dc", options.Datacenter ?? _options.Datacenter);
        return SendOnceAsync(method, path, query, content, options.Token, _options.RequestTimeout, retryable: false, cancellationToken, acceptedErrors);
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

    private async Task<ConsulResponse> SendOnceAsync(
        HttpMethod method, string path, QueryString query, HttpContent? content, string? token, TimeSpan timeout,
        bool retryable, CancellationToken cancellationToken, params HttpStatusCode[] acceptedErrors)
    {
        using var request = new HttpRequestMessage(method, path + query);
        request.Content = content;
        var effectiveToken = token ?? _options.Token;
        if (!string.IsNullOrEmpty(effectiveToken))
        {
            request.Headers.TryAddWithoutValidation("X-Consul-Token", effectiveToken);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var timedOut = new TimeoutException($"no answer within {GoDuration.Format(timeout)}");
            if (retryable)
            {
                throw timedOut;
            }

            throw new ConsulUnavailableException(method.Method, path, _options.Address, timedOut.Message, timedOut);
        }
        catch (HttpRequestException error) when (!retryable)
        {
            throw new ConsulUnavailableException(method.Method, path, _options.Address, Describe(error), error);
        }

        using (response)
        {
            var status = response.StatusCode;
            if ((int)status is >= 200 and < 300 || status == HttpStatusCode.NotFound && method == HttpMethod.Get || acceptedErrors.Contains(status))
            {
                return new ConsulResponse(status, body, ReadIndex(response), ReadKnownLeader(response), ReadLastContact(response));
            }

            var message = System.Text.Encoding.UTF8.GetString(body);
            if (retryable && (int)status >= 500)
            {
                throw new TransientStatusException(new ConsulApiException(status, method.Method, path, message));
            }

            throw new ConsulApiException(status, method.Method, path, message);
        }
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

    /// <summary>A 5xx answer to a read, worth one more try; unwrapped once the retries are spent.</summary>
    private sealed class TransientStatusException(ConsulApiException error) : Exception(error.Message)
    {
        public ConsulApiException Error { get; } = error;
    }
}
