using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HaManager.Cluster.Security;

/// <summary>
/// SHA-256 of a certificate's SubjectPublicKeyInfo, base64url without padding (43 characters). A joining node
/// gets it inside its join token and trusts the cluster CA the first server presents only when the pin matches
/// (kubeadm's --discovery-token-ca-cert-hash): it has no CA file yet, and trust-on-first-use would let whoever
/// answers first hand it a fake cluster.
/// </summary>
public static class PublicKeyPin
{
    public const int Length = 43;

    public static string Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        // The key, not the whole certificate: a CA re-issued with the same key keeps its pin.
        var hash = SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
        return Base64Url.EncodeToString(hash);
    }

    public static bool IsWellFormed(string? pin) =>
        pin is { Length: Length } && Base64Url.IsValid(pin, out var decoded) && decoded == SHA256.HashSizeInBytes;

    /// <summary>Constant-time comparison: the pin is not secret, but there is no reason to leak how much matched.</summary>
    public static bool Matches(X509Certificate2 certificate, string pin) =>
        IsWellFormed(pin) && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Of(certificate)), System.Text.Encoding.ASCII.GetBytes(pin));
}
