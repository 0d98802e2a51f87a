namespace HaManager.Cluster.Consul;

/// <summary>
/// How the client checks Consul's HTTPS certificate and proves itself, as Consul's CLI does with CONSUL_CACERT,
/// CONSUL_CAPATH, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY and CONSUL_TLS_SERVER_NAME. Verification is never
/// switched off: without a CA file, path or pin the system's trust store applies.
/// </summary>
public sealed record ConsulTlsOptions
{
    /// <summary>PEM file with the CA certificate(s) to trust instead of the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>Directory of PEM files (*.pem, *.crt) with CA certificates to trust.</summary>
    public string? CaPath { get; init; }

    public string? ClientCertificateFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary>The name the server certificate must carry, when it is not the host of the address (e.g. server.dc1.consul).</summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// Trust the CA certificate the server sends in its handshake if its public key has this pin
    /// (<see cref="Security.PublicKeyPin"/>). For a joining node, whose only knowledge of the cluster is its join token.
    /// </summary>
    public string? CaPublicKeyPin { get; init; }

    internal bool HasCustomTrust => CaFile is not null || CaPath is not null || CaPublicKeyPin is not null;
}
