using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// A certificate (leaf first, then its CA, so a peer can find the CA in the handshake) and its private key, both
/// PEM. Stored as JSON under <c>secrets/ca</c> and inside a join payload; written to disk by the watchers' PEM
/// writer with the key 0600. ToString never shows the key.
/// </summary>
public sealed record PemCertificate : IKvRecord
{
    public required string CertificatePem { get; init; }

    public required string PrivateKeyPem { get; init; }

    /// <summary>The first certificate of <see cref="CertificatePem"/> with its private key attached.</summary>
    /// <exception cref="CryptographicException">The PEM does not hold a certificate, or the key does not belong to it.</exception>
    public X509Certificate2 ToCertificate() => X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);

    /// <summary>Only the certificate (first of the chain), without a private key.</summary>
    public X509Certificate2 ToPublicCertificate() => X509Certificate2.CreateFromPem(CertificatePem);

    public IEnumerable<string> Validate()
    {
        string? problem = null;
        try
        {
            using var certificate = ToCertificate();
            if (!certificate.HasPrivateKey)
            {
                problem = "private_key_pem does not belong to the certificate";
            }
        }
        catch (CryptographicException e)
        {
            problem = $"certificate_pem/private_key_pem do not hold a certificate and its key: {e.Message}";
        }
        catch (ArgumentException e)
        {
            problem = $"certificate_pem/private_key_pem are not PEM: {e.Message}";
        }

        if (problem is not null)
        {
            yield return problem;
        }
    }

    private bool PrintMembers(StringBuilder builder)
    {
        // Records print every property by default; a logged record must not carry the key along.
        builder.Append("CertificatePem = (").Append(CertificatePem.Length).Append(" characters), PrivateKeyPem = (hidden)");
        return true;
    }
}
