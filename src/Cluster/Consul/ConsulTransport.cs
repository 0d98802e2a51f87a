using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HaManager.Cluster.Consul;

/// <summary>HTTP plumbing shared by every ConsulClient call: URLs, timeouts, headers and error mapping.</summary>
internal sealed class ConsulTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly ConsulClientOptions _options;
    private readonly Uri _baseUri;
    private readonly ConsulServerCertificateValidator? _validator;

    public ConsulTransport(ConsulClientOptions options, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Address, nameof(options.Address));
        if (!options.Address.IsAbsoluteUri || (options.Address.Scheme != Uri.UriSchemeHttp && options.Address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Consul address '{options.Address}' must be an absolute http or https URI.", nameof(options));
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RequestTimeout, "RequestTimeout must be positive.");
        }

        _options = options;
        var address = options.Address.ToString();
        AddressText = address.TrimEnd('/');
        _baseUri = new Uri(address.EndsWith('/') ? address : address + "/");

        // A handler passed in belongs to the caller (tests reuse theirs) and brings its own TLS; ours we dispose.
        if (handler is null)
        {
            _validator = ConsulServerCertificateValidator.Create(options.Tls, options.Address);
            _http = new HttpClient(CreateDefaultHandler(options, _validator), disposeHandler: true);
        }
        else
        {
            _http = new HttpClient(handler, disposeHandler: false);
        }

        // Each request carries its own deadline: blocking reads need far longer than plain ones.
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public string AddressText { get; }

    public TimeSpan TimeoutFor(QueryOptions? query) =>
        query is { IsBlocking: true }
            ? query.WaitTime + (query.WaitTime / 16) + _options.RequestTimeout // Consul adds up to wait/16 of jitter.
            : _options.RequestTimeout;

    /// <param name="path">Already-escaped path relative to the address, e.g. "v1/kv/a%20b".</param>
    /// <param name="displayPath">Unescaped path for messages, e.g. "/v1/kv/a b".</param>
    /// <param name="parameters">Already-escaped query parameters ("recurse", "cas=3").</param>
    /// <param name="acceptStatus">A non-2xx status the caller interprets itself (404 for reads, 409 for txn).</param>
    public async Task<ConsulResponse> SendAsync(
        HttpMethod method,
        string path,
        string displayPath,
        IReadOnlyList<string>? parameters,
        byte[]? body,
        QueryOptions? query,
        int? acceptStatus,
        CancellationToken ct)
    {
        var endpoint = $"{method.Method} {displayPath}";
        if (query is { IsBlocking: true } && query.WaitTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.WaitTime, $"WaitTime must be positive for the blocking read {endpoint}.");
        }

        var timeout = TimeoutFor(query);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);

        ConsulResponse response;
        try
        {
            using var request = new HttpRequestMessage(method, BuildUri(path, parameters, query));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
            }

            if (!string.IsNullOrEmpty(_options.Token))
            {
                request.Headers.TryAddWithoutValidation("X-Consul-Token", _options.Token);
            }

            using var http = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutCts.Token).ConfigureAwait(false);
            var bytes = await http.Content.ReadAsByteArrayAsync(timeoutCts.Token).ConfigureAwait(false);
            response = new ConsulResponse(
                endpoint,
                (int)http.StatusCode,
                bytes,
                ParseIndex(http.Headers),
                ParseKnownLeader(http.Headers),
                ParseLastContact(http.Headers));
        }
        catch (OperationCanceledException ex) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException($"{endpoint} to Consul at {AddressText} was cancelled by the caller.", ex, ct);
        }
        catch (OperationCanceledException ex)
        {
            throw new ConsulUnavailableException(
                $"Consul at {AddressText} did not answer {endpoint} within {GoDuration.Describe(timeout)}.", endpoint, innerException: ex);
        }
        catch (HttpRequestException ex) when (FindTlsFailure(ex) is { } tls)
        {
            var reason = _validator?.LastFailure ?? tls.Message;
            throw new ConsulTlsException($"TLS with Consul at {AddressText} failed for {endpoint}: {reason}", endpoint, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new ConsulUnavailableException(
                $"Consul at {AddressText} could not be reached for {endpoint}: {ex.Message}", endpoint, innerException: ex);
        }

        EnsureAccepted(response, acceptStatus);
        return response;
    }

    public T Read<T>(ConsulResponse response, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, typeInfo)
                ?? throw new JsonException("the body was JSON null");
        }
        catch (JsonException ex)
        {
            throw new ConsulRequestException(
                $"Consul at {AddressText} sent an unreadable answer to {response.Endpoint}: {ex.Message}",
                response.Endpoint,
                response.StatusCode,
                response.BodyForMessage(),
                ex);
        }
    }

    public void Dispose() => _http.Dispose();

    private void EnsureAccepted(ConsulResponse response, int? acceptStatus)
    {
        var code = response.StatusCode;
        if ((code >= 200 && code < 300) || code == acceptStatus)
        {
            return;
        }

        var body = response.BodyForMessage();
        if (code >= 500)
        {
            throw new ConsulUnavailableException(
                $"Consul at {AddressText} failed {response.Endpoint} with HTTP {code}: {body}", response.Endpoint, code, body);
        }

        throw new ConsulRequestException(
            $"Consul at {AddressText} rejected {response.Endpoint} with HTTP {code}: {body}", response.Endpoint, code, body);
    }

    private Uri BuildUri(string path, IReadOnlyList<string>? parameters, QueryOptions? query)
    {
        var all = new List<string>(parameters ?? []);
        if (!string.IsNullOrEmpty(_options.Datacenter))
        {
            all.Add("dc=" + Uri.EscapeDataString(_options.Datacenter));
        }

        if (query is not null)
        {
            if (query.Stale)
            {
                all.Add("stale");
            }

            if (query.IsBlocking)
            {
                all.Add("index=" + query.WaitIndex.ToString(CultureInfo.InvariantCulture));
                all.Add("wait=" + GoDuration.Format(query.WaitTime));
            }
        }

        var relative = all.Count == 0 ? path : path + "?" + string.Join('&', all);
        return new Uri(_baseUri, relative);
    }

    private static SocketsHttpHandler CreateDefaultHandler(ConsulClientOptions options, ConsulServerCertificateValidator? validator)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,

            // The agent is local or on the cluster network; an environment proxy would only add a failure point.
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.GZip,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (validator is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, _) => validator.Validate(certificate, chain);
        }

        if (options.Tls is { } tls && (tls.ClientCertificateFile is not null || tls.ClientKeyFile is not null))
        {
            handler.SslOptions.ClientCertificates = [LoadClientCertificate(tls)];
        }

        return handler;
    }

    private static X509Certificate2 LoadClientCertificate(ConsulTlsOptions tls)
    {
        // Like Consul's CLI: a certificate without its key (or the reverse) is a mistake, not "no client certificate".
        if (tls.ClientCertificateFile is null || tls.ClientKeyFile is null)
        {
            throw new ArgumentException("a Consul client certificate needs both the certificate file and the key file");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(tls.ClientCertificateFile, tls.ClientKeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException(
                $"cannot load the Consul client certificate '{tls.ClientCertificateFile}' with key '{tls.ClientKeyFile}': {e.Message}", e);
        }
    }

    private static AuthenticationException? FindTlsFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is AuthenticationException authentication)
            {
                return authentication;
            }
        }

        return null;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static ulong ParseIndex(HttpResponseHeaders headers) =>
        ulong.TryParse(Header(headers, "X-Consul-Index"), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;

    private static bool ParseKnownLeader(HttpResponseHeaders headers) =>
        string.Equals(Header(headers, "X-Consul-KnownLeader"), "true", StringComparison.OrdinalIgnoreCase);

    private static TimeSpan ParseLastContact(HttpResponseHeaders headers) =>
        ulong.TryParse(Header(headers, "X-Consul-LastContact"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.Zero;
}
