using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// The cluster's own CA (ECDSA P-256), made with System.Security.Cryptography alone so bootstrap needs no openssl
/// or `consul tls`. It signs the Consul server certificates (RPC mTLS and HTTPS) and operator client certificates.
/// Holds the private key: dispose it as soon as the certificates are issued.
/// </summary>
public sealed partial class CertificateAuthority : IDisposable
{
    public const string ConsulDomain = "consul";

    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(3652);

    /// <summary>
    /// Two years: long enough that a cluster without renewal automation does not break by surprise, short enough
    /// that a leaked node key does not stay useful for the CA's whole life.
    /// </summary>
    public static readonly TimeSpan DefaultLeafValidity = TimeSpan.FromDays(730);

    /// <summary>Certificates are issued on one machine and checked on others whose clocks may be a little behind.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromHours(1);

    private readonly X509Certificate2 _certificate;

    private CertificateAuthority(X509Certificate2 certificate)
    {
        _certificate = certificate;
        CertificatePem = certificate.ExportCertificatePem();
        PublicKeyPin = Security.PublicKeyPin.Of(certificate);
    }

    /// <summary>The CA certificate alone (no key): what every node and client trusts (Consul's ca_file, CONSUL_CACERT).</summary>
    public string CertificatePem { get; }

    /// <summary>What a join token carries so the joining node can recognise this CA in the first handshake.</summary>
    public string PublicKeyPin { get; }

    public DateTimeOffset NotAfter => new(_certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    public static CertificateAuthority Create(DateTimeOffset now, TimeSpan? validity = null)
    {
        var lifetime = validity ?? DefaultValidity;
        if (lifetime <= Backdate)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), lifetime, "a CA must be valid for longer than the backdating of its certificates");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // A random suffix tells two clusters' CAs apart in error messages and trust stores.
        var name = new X500DistinguishedName($"CN=HaManager cluster CA {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}, O=HaManager");
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var certificate = request.CreateSelfSigned(now - Backdate, now + lifetime);
        return new CertificateAuthority(Reload(certificate));
    }

    /// <summary>Loads a CA stored with <see cref="Export"/>; refuses anything that is not a CA certificate with its key.</summary>
    public static CertificateAuthority Load(PemCertificate pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var certificate = pem.ToCertificate();
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true } || certificate.GetECDsaPrivateKey() is null)
        {
            certificate.Dispose();
            throw new CryptographicException("the stored certificate is not an ECDSA certificate authority with its private key");
        }

        return new CertificateAuthority(certificate);
    }

    public PemCertificate Export()
    {
        using var key = _certificate.GetECDsaPrivateKey()!;
        return new PemCertificate { CertificatePem = CertificatePem, PrivateKeyPem = key.ExportPkcs8PrivateKeyPem() };
    }

    /// <summary>The name Consul's verify_server_hostname requires every server certificate to carry.</summary>
    public static string ServerName(string datacenter) =>
        $"server.{ConsulNames.ValidateDatacenter(datacenter, nameof(datacenter))}.{ConsulDomain}";

    /// <summary>
    /// A Consul server certificate for one node: SANs <c>server.&lt;dc&gt;.consul</c> (checked by
    /// verify_server_hostname), <c>&lt;node&gt;.server.&lt;dc&gt;.consul</c> (names the node, as `consul tls cert
    /// create -node` does), <c>localhost</c>, 127.0.0.1 and the node's address (HTTPS clients check the address they
    /// dialled). Server and client authentication: a server is also a client of the other servers' RPC.
    /// </summary>
    public PemCertificate IssueServer(NodeName node, IPAddress address, string datacenter, DateTimeOffset now, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var serverName = ServerName(datacenter);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(serverName);
        if (!node.Value.Contains('_', StringComparison.Ordinal))
        {
            // '_' is legal in a node name but not in a DNS name; such a node simply goes without this SAN.
            names.AddDnsName($"{node.Value.ToLowerInvariant()}.{serverName}");
        }

        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        if (!address.Equals(IPAddress.Loopback))
        {
            names.AddIpAddress(address);
        }

        return Issue($"CN={serverName}, OU={node.Value}, O=HaManager", names, [Oids.ServerAuth, Oids.ClientAuth], now, validity);
    }

    /// <summary>A client certificate (operators, CONSUL_CLIENT_CERT) for when Consul's HTTPS verifies incoming clients.</summary>
    public PemCertificate IssueClient(string commonName, DateTimeOffset now, TimeSpan? validity = null)
    {
        if (commonName is null || !ClientName().IsMatch(commonName))
        {
            throw new ArgumentException(
                $"'{NodeName.Printable(commonName ?? string.Empty)}' is not a usable client name (1-64 letters, digits, '.', '-' or '_')", nameof(commonName));
        }

        return Issue($"CN={commonName}, O=HaManager", null, [Oids.ClientAuth], now, validity);
    }

    public void Dispose() => _certificate.Dispose();

    private PemCertificate Issue(string subject, SubjectAlternativeNameBuilder? names, string[] usages, DateTimeOffset now, TimeSpan? validity)
    {
        var lifetime = validity ?? DefaultLeafValidity;
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), lifetime, "a certificate must be valid for a positive time");
        }

        // A certificate cannot outlive its issuer; the platform refuses to sign one that would.
        var notAfter = now + lifetime;
        if (notAfter > NotAfter)
        {
            notAfter = NotAfter;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var enhanced = new OidCollection();
        foreach (var usage in usages)
        {
            enhanced.Add(new Oid(usage));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(enhanced, critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names.Build(critical: false));
        }

        using var certificate = request.Create(_certificate, now - Backdate, notAfter, SerialNumber());
        return new PemCertificate
        {
            CertificatePem = certificate.ExportCertificatePem() + "\n" + CertificatePem,
            PrivateKeyPem = key.ExportPkcs8PrivateKeyPem(),
        };
    }

    private static byte[] SerialNumber()
    {
        // Random (unguessable serials defeat chosen-prefix collisions), positive (top bit clear) and without a
        // leading zero byte, which would not be minimal DER.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    /// <summary>A certificate from CreateSelfSigned keeps an ephemeral key handle; a PEM round trip gives a plain, exportable one.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey()!;
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClientName();

    private static class Oids
    {
        public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
        public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    }
}
