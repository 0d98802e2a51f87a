using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace HaManager.Cluster.Security;

/// <summary>
/// A one-time join token, <c>hmj1.&lt;id&gt;.&lt;secret&gt;.&lt;ca-pin&gt;</c>: the public id, 32 random secret bytes
/// (base64url) and the pin of the cluster CA. It is shown once (<see cref="Reveal"/>) and never stored: KV holds
/// only its SHA-256, Consul only an ACL secret derived from it, and the join payload is encrypted with another key
/// derived from it. See docs/security.md for the whole exchange. ToString never shows the secret.
/// </summary>
public sealed class JoinSecret
{
    public const string Scheme = "hmj1";

    private const int SecretBytes = 32;
    private static readonly byte[] Salt = "hamanager join token v1"u8.ToArray();

    private readonly byte[] _secret;

    private JoinSecret(JoinTokenId id, byte[] secret, string caPin)
    {
        Id = id;
        _secret = secret;
        CaPin = caPin;
    }

    public JoinTokenId Id { get; }

    /// <summary>Pin of the CA the joining node must see in the first TLS handshake (<see cref="PublicKeyPin"/>).</summary>
    public string CaPin { get; }

    /// <summary>Base64 SHA-256 of the secret: what the KV record keeps to recognise it.</summary>
    public string SecretSha256 => Convert.ToBase64String(SHA256.HashData(_secret));

    /// <summary>
    /// The SecretID of the short-lived Consul ACL token that may read and consume only this token's KV record.
    /// Derived, not random, so the joining node can compute it from the join token alone; one-way, so the ACL
    /// secret Consul stores (readable with a management token) does not reveal the join secret or the payload key.
    /// </summary>
    public string ConsulTokenSecretId
    {
        get
        {
            var bytes = Derive("consul acl token", 16);
            return new Guid(bytes, bigEndian: true).ToString("D");
        }
    }

    public static JoinSecret Create(string caPin)
    {
        if (!PublicKeyPin.IsWellFormed(caPin))
        {
            throw new ArgumentException("the CA pin must be a base64url SHA-256 (see PublicKeyPin)", nameof(caPin));
        }

        return new JoinSecret(JoinTokenId.New(), RandomNumberGenerator.GetBytes(SecretBytes), caPin);
    }

    public static JoinSecret Parse(string text) =>
        TryParse(text, out var secret, out var error) ? secret : throw new FormatException(error);

    /// <param name="text">The token as printed; surrounding whitespace (a trailing newline in a file) is ignored.</param>
    /// <param name="error">Why the text is not a join token; never contains the text itself, which may be a real secret.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JoinSecret? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        var parts = (text ?? string.Empty).Trim().Split('.');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            error = $"a join token has four parts, {Scheme}.<id>.<secret>.<ca-pin>";
            return false;
        }

        if (!JoinTokenId.TryParse(parts[1], out var id))
        {
            error = "the join token's id is not 16 lowercase hex digits";
            return false;
        }

        var bytes = new byte[SecretBytes];
        if (!Base64Url.IsValid(parts[2], out var length) || length != SecretBytes
            || Base64Url.DecodeFromChars(parts[2], bytes) != SecretBytes)
        {
            error = "the join token's secret is not 32 bytes of base64url";
            return false;
        }

        if (!PublicKeyPin.IsWellFormed(parts[3]))
        {
            error = "the join token's CA pin is not a base64url SHA-256";
            return false;
        }

        secret = new JoinSecret(id, bytes, parts[3]);
        error = null;
        return true;
    }

    /// <summary>The whole token, to be printed once (or written to a 0600 file) and never logged.</summary>
    public string Reveal() => $"{Scheme}.{Id}.{Base64Url.EncodeToString(_secret)}.{CaPin}";

    /// <summary>Constant-time check against a stored <see cref="SecretSha256"/>.</summary>
    public bool MatchesHash(string? storedSha256)
    {
        var stored = new byte[SHA256.HashSizeInBytes];
        var readable = storedSha256 is not null && Convert.TryFromBase64String(storedSha256, stored, out var written) && written == stored.Length;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(_secret), stored) && readable;
    }

    public override string ToString() => $"join token {Id} (secret hidden)";

    /// <summary>AES-256-GCM key for the join payload; a separate derivation from the Consul token secret.</summary>
    internal byte[] PayloadKey() => Derive("payload key", 32);

    private byte[] Derive(string purpose, int length) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, length, Salt, Encoding.ASCII.GetBytes($"{purpose} {Id}"));
}
