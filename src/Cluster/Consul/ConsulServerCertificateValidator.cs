using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HaManager.Cluster.Security;

namespace HaManager.Cluster.Consul;

/// <summary>
/// Checks Consul's server certificate against our own roots (the cluster CA, or the CA whose pin a join token
/// carries) instead of the system store, and the host name against the address or the configured server name.
/// The platform's verdict is not used: it was reached with the system store, which does not know the cluster CA.
/// </summary>
internal sealed class ConsulServerCertificateValidator
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private readonly X509Certificate2Collection? _roots;
    private readonly string? _pin;
    private readonly string _hostName;
    private volatile string? _lastFailure;

    private ConsulServerCertificateValidator(X509Certificate2Collection? roots, string? pin, string hostName)
    {
        _roots = roots;
        _pin = pin;
        _hostName = hostName;
    }

    /// <summary>Why the last certificate was refused, for the error message (the handshake exception only says "rejected").</summary>
    public string? LastFailure => _lastFailure;

    /// <summary>Null when the platform's own validation (system trust store, address host name) is what is wanted.</summary>
    public static ConsulServerCertificateValidator? Create(ConsulTlsOptions? tls, Uri address)
    {
        if (tls is null || (!tls.HasCustomTrust && tls.ServerName is null))
        {
            return null;
        }

        if (tls.CaPublicKeyPin is not null && !PublicKeyPin.IsWellFormed(tls.CaPublicKeyPin))
        {
            throw new ArgumentException("the CA public key pin is not a base64url SHA-256", nameof(tls));
        }

        var roots = new X509Certificate2Collection();
        if (tls.CaFile is not null)
        {
            Import(roots, tls.CaFile, "CA file");
        }

        if (tls.CaPath is not null)
        {
            var files = Directory.Exists(tls.CaPath)
                ? Directory.EnumerateFiles(tls.CaPath).Where(f => f.EndsWith(".pem", StringComparison.Ordinal) || f.EndsWith(".crt", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                : throw new ArgumentException($"CA path '{tls.CaPath}' is not a directory", nameof(tls));
            foreach (var file in files)
            {
                Import(roots, file, "CA file");
            }
        }

        // No roots and no pin (only a server name): the system store stays the trust anchor; the name is checked here.
        return new ConsulServerCertificateValidator(roots.Count == 0 ? null : roots, tls.CaPublicKeyPin, tls.ServerName ?? address.IdnHost);
    }

    public bool Validate(X509Certificate? certificate, X509Chain? presented)
    {
        var failure = Check(certificate, presented);
        _lastFailure = failure;
        return failure is null;
    }

    private string? Check(X509Certificate? certificate, X509Chain? presented)
    {
        if (certificate is null)
        {
            return "the server sent no certificate";
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var sent = Sent(presented);
        try
        {
            return Check(leaf, sent);
        }
        finally
        {
            foreach (var copy in sent)
            {
                copy.Dispose();
            }
        }
    }

    private string? Check(X509Certificate2 leaf, X509Certificate2Collection sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the cluster CA publishes no revocation list
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        chain.ChainPolicy.ExtraStore.AddRange(sent);
        if (_pin is not null)
        {
            var pinned = sent.FirstOrDefault(c => IsCertificateAuthority(c) && PublicKeyPin.Matches(c, _pin));
            if (pinned is null)
            {
                return $"the server sent no CA certificate with the pinned public key {_pin} (its certificate file must hold the CA after its own certificate)";
            }

            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(pinned);
        }
        else if (_roots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        }

        try
        {
            if (!chain.Build(leaf))
            {
                var reasons = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
                return $"the certificate of '{leaf.Subject}' is not trusted ({string.Join(", ", reasons)})";
            }
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }

        return leaf.MatchesHostname(_hostName, allowWildcards: true, allowCommonName: false)
            ? null
            : $"the certificate of '{leaf.Subject}' does not name '{_hostName}'";
    }

    /// <summary>The certificates the server sent (SslStream puts them in the chain's extra store), as our own copies.</summary>
    private static X509Certificate2Collection Sent(X509Chain? presented)
    {
        var sent = new X509Certificate2Collection();
        if (presented is null)
        {
            return sent;
        }

        foreach (var certificate in presented.ChainPolicy.ExtraStore.Concat(presented.ChainElements.Select(e => e.Certificate)))
        {
            sent.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        }

        return sent;
    }

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    private static void Import(X509Certificate2Collection roots, string file, string what)
    {
        var before = roots.Count;
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"cannot read the {what} '{file}': {e.Message}", e);
        }

        if (roots.Count == before)
        {
            throw new ArgumentException($"the {what} '{file}' holds no PEM certificate");
        }
    }
}
