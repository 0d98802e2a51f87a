using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HaManager.Cluster.Security;

/// <summary>
/// AES-256-GCM with a key derived from the join secret. The record's clear fields (id, node, address, times, secret
/// hash) are the associated data: whoever can write the KV record cannot stretch its expiry or point it at another
/// node without the payload failing to open.
/// </summary>
internal static class JoinPayloadCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static string Seal(JoinSecret secret, JoinTokenRecord header, byte[] plaintext)
    {
        var key = secret.PayloadKey();
        try
        {
            using var aes = new AesGcm(key, TagSize);
            var output = new byte[NonceSize + plaintext.Length + TagSize];
            var nonce = output.AsSpan(0, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), AssociatedData(header));
            return Convert.ToBase64String(output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <exception cref="CryptographicException">Wrong secret, or the record or payload was altered.</exception>
    public static byte[] Open(JoinSecret secret, JoinTokenRecord header, string sealedPayload)
    {
        byte[] input;
        try
        {
            input = Convert.FromBase64String(sealedPayload);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("the sealed payload is not base64", e);
        }

        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("the sealed payload is too short");
        }

        var key = secret.PayloadKey();
        try
        {
            using var aes = new AesGcm(key, TagSize);
            var length = input.Length - NonceSize - TagSize;
            var plaintext = new byte[length];
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), plaintext, AssociatedData(header));
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] AssociatedData(JoinTokenRecord header) => Encoding.UTF8.GetBytes(string.Join('\n',
        "hamanager join payload v1",
        header.Id,
        header.Node.Value,
        header.Address.ToString(),
        header.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        header.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        header.SecretSha256));
}
