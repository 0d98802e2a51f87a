using System.Security.Cryptography;
using System.Text;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// Consul's gossip encryption key (<c>encrypt</c> in the agent config), stored under <c>secrets/gossip</c> and
/// handed to joining nodes in their join payload. Without it any host that can reach port 8301 can join the
/// gossip pool. ToString never shows the key.
/// </summary>
public sealed record GossipKey : IKvRecord
{
    /// <summary>What `consul keygen` of Consul 1.8 makes: 32 random bytes (AES-256).</summary>
    public const int GeneratedBytes = 32;

    public required string Key { get; init; }

    public static GossipKey Generate() => new() { Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedBytes)) };

    public static GossipKey Parse(string text)
    {
        var key = new GossipKey { Key = text?.Trim() ?? string.Empty };
        return key.Validate().FirstOrDefault() is { } problem ? throw new FormatException(problem) : key;
    }

    /// <summary>
    /// Consul accepts standard base64 (with padding) of 16, 24 or 32 bytes. Anything else would only fail later,
    /// when the agent refuses to start, so it is refused here with a message that does not echo the key.
    /// </summary>
    public IEnumerable<string> Validate()
    {
        var length = Key.Length switch
        {
            24 => 16,
            32 => 24,
            44 => 32,
            _ => 0,
        };
        var bytes = new byte[length];
        var valid = length > 0 && Convert.TryFromBase64String(Key, bytes, out var written) && written == length
            && Convert.ToBase64String(bytes) == Key;
        CryptographicOperations.ZeroMemory(bytes);
        if (!valid)
        {
            yield return "key must be standard base64 of 16, 24 or 32 bytes (as `consul keygen` makes)";
        }
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Key = (hidden)");
        return true;
    }
}
