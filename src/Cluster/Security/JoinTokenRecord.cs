using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// What KV keeps of a join token, under <c>join/&lt;id&gt;</c>: who it is for, when it expires, the SHA-256 of its
/// secret (never the secret) and the sealed payload. Redeeming replaces the payload with <see cref="UsedAt"/> by
/// CAS, so the payload exists exactly until its first use.
/// </summary>
public sealed record JoinTokenRecord : IKvRecord
{
    public required string Id { get; init; }

    public required NodeName Node { get; init; }

    public required IPAddress Address { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required string SecretSha256 { get; init; }

    /// <summary>base64(nonce | ciphertext | tag) of the JSON payload, AES-256-GCM; null once used.</summary>
    public string? Payload { get; init; }

    public DateTimeOffset? UsedAt { get; init; }

    /// <summary>Accessor (not secret) of the short-lived ACL token derived from the join secret, for revocation.</summary>
    public string? JoinTokenAccessor { get; init; }

    /// <summary>Accessor of the node's ACL token in the payload, so an unused, expired join token can take it along.</summary>
    public string? NodeTokenAccessor { get; init; }

    [JsonIgnore]
    public bool IsUsed => UsedAt is not null;

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    public IEnumerable<string> Validate()
    {
        if (!JoinTokenId.TryParse(Id, out _)) yield return "id must be 16 lowercase hex digits";
        if (ExpiresAt <= CreatedAt) yield return "expires_at must be after created_at";
        var hash = new byte[SHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(SecretSha256, hash, out var written) || written != hash.Length) yield return "secret_sha256 must be base64 of 32 bytes";
        if (UsedAt is null && string.IsNullOrEmpty(Payload)) yield return "an unused join token must carry its payload";
        if (UsedAt is not null && Payload is not null) yield return "a used join token must not carry its payload any more";
        if (JoinTokenAccessor is not null && !ConsulNames.IsUuid(JoinTokenAccessor)) yield return "join_token_accessor must be a UUID";
        if (NodeTokenAccessor is not null && !ConsulNames.IsUuid(NodeTokenAccessor)) yield return "node_token_accessor must be a UUID";
    }
}
