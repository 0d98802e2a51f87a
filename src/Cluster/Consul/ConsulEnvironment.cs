namespace HaManager.Cluster.Consul;

/// <summary>
/// Applies Consul's own CLI environment variables over options taken from the settings file, the way Consul's Go
/// API client reads them, so `hamanager` and `consul` agree in the same shell:
/// CONSUL_HTTP_ADDR ("host:port" or a URL), CONSUL_HTTP_SSL (https for a bare host:port, and never back to http),
/// CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE (read once; a non-empty file wins over CONSUL_HTTP_TOKEN, as in Consul),
/// CONSUL_CACERT, CONSUL_CAPATH, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY and CONSUL_TLS_SERVER_NAME.
/// CONSUL_HTTP_SSL_VERIFY=false is refused: HaManager never turns certificate verification off.
/// </summary>
public static class ConsulEnvironment
{
    public const string HttpAddress = "CONSUL_HTTP_ADDR";
    public const string HttpToken = "CONSUL_HTTP_TOKEN";
    public const string HttpTokenFile = "CONSUL_HTTP_TOKEN_FILE";
    public const string HttpSsl = "CONSUL_HTTP_SSL";
    public const string HttpSslVerify = "CONSUL_HTTP_SSL_VERIFY";
    public const string CaCert = "CONSUL_CACERT";
    public const string CaPath = "CONSUL_CAPATH";
    public const string ClientCert = "CONSUL_CLIENT_CERT";
    public const string ClientKey = "CONSUL_CLIENT_KEY";
    public const string TlsServerName = "CONSUL_TLS_SERVER_NAME";

    /// <exception cref="ArgumentException">A variable holds something unusable (unknown scheme, unreadable token file, verification off).</exception>
    public static ConsulClientOptions Apply(ConsulClientOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value : null;

        if (Get(HttpSslVerify) is { } verify && IsFalse(verify))
        {
            throw new ArgumentException($"{HttpSslVerify}={verify}: HaManager never disables certificate verification; point {CaCert} at the cluster CA instead");
        }

        var ssl = Get(HttpSsl) is { } sslText && IsTrue(sslText);
        var address = Address(Get(HttpAddress), options.Address, ssl);

        var token = options.Token;
        if (Get(HttpToken) is { } fromVariable)
        {
            token = fromVariable;
        }

        if (Get(HttpTokenFile) is { } tokenFile && ReadTokenFile(tokenFile) is { Length: > 0 } fromFile)
        {
            token = fromFile;
        }

        var tls = options.Tls ?? new ConsulTlsOptions();
        tls = tls with
        {
            CaFile = Get(CaCert) ?? tls.CaFile,
            CaPath = Get(CaPath) ?? tls.CaPath,
            ClientCertificateFile = Get(ClientCert) ?? tls.ClientCertificateFile,
            ClientKeyFile = Get(ClientKey) ?? tls.ClientKeyFile,
            ServerName = Get(TlsServerName) ?? tls.ServerName,
        };
        var anyTls = tls.CaFile is not null || tls.CaPath is not null || tls.ClientCertificateFile is not null || tls.ClientKeyFile is not null
            || tls.ServerName is not null || tls.CaPublicKeyPin is not null;
        return options with { Address = address, Token = token, Tls = anyTls ? tls : options.Tls };
    }

    /// <summary>The token in a file, trimmed (a trailing newline is not part of it); empty when the file is empty.</summary>
    public static string ReadTokenFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the Consul token file '{path}' ({HttpTokenFile}): {e.Message}", e);
        }
    }

    private static Uri Address(string? text, Uri configured, bool ssl)
    {
        if (text is null)
        {
            return ssl && configured.Scheme == Uri.UriSchemeHttp ? new UriBuilder(configured) { Scheme = Uri.UriSchemeHttps, Port = configured.Port }.Uri : configured;
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? (ssl ? "https" : "http") : text[..schemeEnd];
        if (scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"{HttpAddress}={text}: HaManager speaks http and https to Consul, not {scheme}");
        }

        // Consul: "never revert to http if TLS was explicitly requested".
        if (ssl)
        {
            scheme = "https";
        }

        var rest = schemeEnd < 0 ? text : text[(schemeEnd + 3)..];
        return Uri.TryCreate($"{scheme}://{rest}", UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException($"{HttpAddress}={text} is not a usable address");
    }

    private static bool IsTrue(string text) => text.Trim().ToLowerInvariant() is "1" or "t" or "true";

    private static bool IsFalse(string text) => text.Trim().ToLowerInvariant() is "0" or "f" or "false";
}
