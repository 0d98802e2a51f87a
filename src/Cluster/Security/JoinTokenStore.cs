using System.Security.Cryptography;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;

namespace HaManager.Cluster.Security;

/// <summary>
/// The KV side of join tokens: seal a payload under <c>join/&lt;id&gt;</c>, redeem it once, list and sweep. Works on
/// any IKvStore; with Consul ACLs on, Consul itself also enforces that only the derived ACL token can touch the
/// record and that it expires (see <see cref="JoinTokenIssuer"/>). The checks here hold even without ACLs.
/// </summary>
public sealed class JoinTokenStore(IKvStore kv, KvKeys keys, TimeProvider? time = null)
{
    /// <summary>Consul 1.8's acl.token_min_expiration_ttl: it refuses a token that expires sooner.</summary>
    public static readonly TimeSpan MinimumTtl = TimeSpan.FromMinutes(1);

    /// <summary>Consul 1.8's acl.token_max_expiration_ttl default.</summary>
    public static readonly TimeSpan MaximumTtl = TimeSpan.FromHours(24);

    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Seals <paramref name="payload"/> for <paramref name="secret"/> and stores it (CAS 0: an id is never reused).</summary>
    public async Task<JoinTokenRecord> CreateAsync(
        JoinSecret secret, JoinPayload payload, TimeSpan ttl, string? joinTokenAccessor = null, string? nodeTokenAccessor = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(payload);
        if (ttl < MinimumTtl || ttl > MaximumTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"a join token lives between {MinimumTtl.TotalMinutes:0} minute and {MaximumTtl.TotalHours:0} hours (Consul's limits for expiring ACL tokens)");
        }

        if (payload.Validate().FirstOrDefault() is { } problem)
        {
            throw new ArgumentException($"join payload for {payload.Node} is invalid: {problem}", nameof(payload));
        }

        // Whole seconds: the times are part of the sealed payload's associated data and must survive a JSON round trip exactly.
        var now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        var header = new JoinTokenRecord
        {
            Id = secret.Id.Value,
            Node = payload.Node,
            Address = payload.Address,
            CreatedAt = now,
            ExpiresAt = now + TimeSpan.FromSeconds(Math.Ceiling(ttl.TotalSeconds)),
            SecretSha256 = secret.SecretSha256,
            JoinTokenAccessor = joinTokenAccessor,
            NodeTokenAccessor = nodeTokenAccessor,
        };
        var plaintext = KvJson.Serialize(payload);
        JoinTokenRecord record;
        try
        {
            record = header with { Payload = JoinPayloadCipher.Seal(secret, header, plaintext) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        var key = keys.JoinToken(secret.Id);
        if (!await kv.PutAsync(key, KvJson.Serialize(record), 0, ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"'{key}' already exists: join token ids must never be reused");
        }

        return record;
    }

    /// <summary>
    /// Checks the secret (constant time), expiry and first use, opens the payload, then consumes the token by
    /// replacing the payload with the time of use (CAS on the ModifyIndex it read). The payload is returned only
    /// when this call won that CAS, so of two concurrent redeemers exactly one gets it.
    /// </summary>
    /// <exception cref="JoinTokenException">The token does not exist, the secret is wrong, it expired, it was used, or its record is damaged.</exception>
    public async Task<JoinPayload> RedeemAsync(JoinSecret secret, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = keys.JoinToken(secret.Id);
        var entry = await AsJoinTokenAsync(secret, () => kv.GetAsync(key, null, ct)).ConfigureAwait(false);
        if (entry.Value is not { } stored)
        {
            throw new JoinTokenException(JoinTokenRefusal.NotFound, $"join token {secret.Id} does not exist (never created, revoked, or swept after use or expiry)");
        }

        if (!KvJson.TryParse<JoinTokenRecord>(stored, out var record, out var error))
        {
            throw new JoinTokenException(JoinTokenRefusal.Invalid, $"join token {secret.Id} cannot be used: {error}");
        }

        // The secret first: someone without it learns nothing about the token's state.
        if (!secret.MatchesHash(record.SecretSha256))
        {
            throw new JoinTokenException(JoinTokenRefusal.WrongSecret, $"join token {secret.Id} was presented with the wrong secret");
        }

        if (record.IsUsed)
        {
            throw new JoinTokenException(JoinTokenRefusal.AlreadyUsed, $"join token {secret.Id} was already used at {record.UsedAt:O} (node {record.Node}); create a new one");
        }

        var now = _time.GetUtcNow();
        if (record.IsExpired(now))
        {
            throw new JoinTokenException(JoinTokenRefusal.Expired, $"join token {secret.Id} expired at {record.ExpiresAt:O}; create a new one");
        }

        var payload = Open(secret, record);
        var used = record with { Payload = null, UsedAt = now };
        if (!await AsJoinTokenAsync(secret, () => kv.PutAsync(key, KvJson.Serialize(used), stored.ModifyIndex, ct)).ConfigureAwait(false))
        {
            throw new JoinTokenException(JoinTokenRefusal.AlreadyUsed, $"join token {secret.Id} was used by someone else at the same moment; create a new one");
        }

        return payload;
    }

    /// <summary>Every readable join token record (invalid ones are left out: <see cref="SweepAsync"/> removes them).</summary>
    public async Task<IReadOnlyList<JoinTokenRecord>> ListAsync(CancellationToken ct = default)
    {
        var entries = (await kv.ListAsync(keys.JoinTokensPrefix, null, ct).ConfigureAwait(false)).Value;
        return entries.Select(e => KvJson.TryParse<JoinTokenRecord>(e, out var r, out _) ? r : null).OfType<JoinTokenRecord>().ToList();
    }

    /// <summary>
    /// Deletes the records of used, expired and unreadable tokens (each by CAS, so a redeem in progress wins) and
    /// returns them, so the caller can delete their ACL policies and tokens.
    /// </summary>
    public async Task<IReadOnlyList<SweptJoinToken>> SweepAsync(CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        var swept = new List<SweptJoinToken>();
        var entries = (await kv.ListAsync(keys.JoinTokensPrefix, null, ct).ConfigureAwait(false)).Value;
        foreach (var entry in entries)
        {
            if (!JoinTokenId.TryParse(KvKeys.LastSegment(entry.Key, keys.JoinTokensPrefix), out var id))
            {
                continue;
            }

            var readable = KvJson.TryParse<JoinTokenRecord>(entry, out var record, out _);
            if (readable && !record!.IsUsed && !record.IsExpired(now))
            {
                continue;
            }

            if (await kv.DeleteAsync(entry.Key, entry.ModifyIndex, ct).ConfigureAwait(false))
            {
                // The node token of a token that was never used must go too; a used one now belongs to its node.
                swept.Add(new SweptJoinToken(id, record?.JoinTokenAccessor, record is { IsUsed: false } ? record.NodeTokenAccessor : null));
            }
        }

        return swept;
    }

    /// <summary>With ACLs on, a 403 means Consul does not accept the ACL token derived from this join token.</summary>
    private static async Task<T> AsJoinTokenAsync<T>(JoinSecret secret, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ConsulRequestException e) when (e.StatusCode == 403)
        {
            throw new JoinTokenException(JoinTokenRefusal.RefusedByConsul,
                $"Consul refused join token {secret.Id}: it expired, was revoked, or the token is not the one that was issued; create a new one with `hamanager join-token create`", e);
        }
    }

    private static JoinPayload Open(JoinSecret secret, JoinTokenRecord record)
    {
        byte[] plaintext;
        try
        {
            plaintext = JoinPayloadCipher.Open(secret, record, record.Payload!);
        }
        catch (CryptographicException e)
        {
            throw new JoinTokenException(JoinTokenRefusal.Invalid, $"join token {secret.Id}: the sealed payload does not open (the record was altered)", e);
        }

        try
        {
            if (!KvJson.TryParse<JoinPayload>("join payload " + secret.Id, plaintext, out var payload, out var error))
            {
                throw new JoinTokenException(JoinTokenRefusal.Invalid, $"join token {secret.Id}: the payload is unusable: {error.Reason}");
            }

            if (payload.Node != record.Node || !payload.Address.Equals(record.Address))
            {
                throw new JoinTokenException(JoinTokenRefusal.Invalid, $"join token {secret.Id}: the payload is for {payload.Node}, the record for {record.Node}");
            }

            return payload;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
