using System.Text.Json;

namespace HaManager.Cluster.Consul;

public sealed partial class ConsulClient
{
    /// <summary>Takes the lock on <paramref name="key"/> for the session, writing the value; false when another session holds it.</summary>
    /// <exception cref="ConsulSessionNotFoundException">The session is gone (expired or destroyed).</exception>
    public Task<bool> AcquireAsync(string key, byte[] value, string sessionId, CancellationToken ct = default) =>
        LockOpAsync("acquire", key, value, sessionId, ct);

    /// <summary>Releases the session's lock on <paramref name="key"/>, writing the value; false when the session did not hold it.</summary>
    /// <exception cref="ConsulSessionNotFoundException">The session is gone (expired or destroyed).</exception>
    public Task<bool> ReleaseAsync(string key, byte[] value, string sessionId, CancellationToken ct = default) =>
        LockOpAsync("release", key, value, sessionId, ct);

    public async Task<string> CreateSessionAsync(SessionRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dto = new SessionCreateDto(
            request.Name,
            request.Ttl > TimeSpan.Zero ? GoDuration.Format(request.Ttl) : null,
            request.Behavior == SessionBehavior.Delete ? "delete" : "release",
            GoDuration.Format(request.LockDelay),
            []);
        var body = JsonSerializer.SerializeToUtf8Bytes(dto, ConsulJsonContext.Default.SessionCreateDto);
        var response = await _transport.SendAsync(HttpMethod.Put, "v1/session/create", "/v1/session/create", null, body, null, null, ct)
            .ConfigureAwait(false);
        return _transport.Read(response, ConsulJsonContext.Default.SessionIdDto).Id;
    }

    /// <exception cref="ConsulSessionNotFoundException">Consul no longer knows the session (HTTP 404).</exception>
    public async Task RenewSessionAsync(string id, CancellationToken ct = default)
    {
        ValidateSessionId(id);
        var display = "/v1/session/renew/" + id;
        var response = await _transport.SendAsync(HttpMethod.Put, "v1/session/renew/" + id, display, null, null, null, 404, ct)
            .ConfigureAwait(false);
        if (response.StatusCode == 404)
        {
            throw new ConsulSessionNotFoundException(
                $"Consul at {_transport.AddressText} does not know session {id} (PUT {display} answered 404): it expired or was destroyed.",
                response.Endpoint,
                id,
                404,
                response.BodyForMessage());
        }
    }

    /// <summary>Destroys the session; its locks are released or their keys deleted per its behavior. Idempotent.</summary>
    public async Task DestroySessionAsync(string id, CancellationToken ct = default)
    {
        ValidateSessionId(id);
        await _transport.SendAsync(HttpMethod.Put, "v1/session/destroy/" + id, "/v1/session/destroy/" + id, null, null, null, null, ct)
            .ConfigureAwait(false);
    }

    /// <summary>The session as Consul sees it, or null when it does not exist (any more).</summary>
    public async Task<SessionInfo?> SessionInfoAsync(string id, CancellationToken ct = default)
    {
        ValidateSessionId(id);
        var response = await _transport.SendAsync(HttpMethod.Get, "v1/session/info/" + id, "/v1/session/info/" + id, null, null, null, 404, ct)
            .ConfigureAwait(false);

        // Consul 1.8 answers 200 with "null" for an unknown session.
        if (response.StatusCode == 404 || response.Body.AsSpan().Trim("\r\n\t "u8).SequenceEqual("null"u8))
        {
            return null;
        }

        var sessions = _transport.Read(response, ConsulJsonContext.Default.ListSessionInfoDto);
        if (sessions.Count == 0)
        {
            return null;
        }

        var s = sessions[0];
        return new SessionInfo(
            s.Id,
            s.Name ?? string.Empty,
            s.Node ?? string.Empty,
            s.Behavior == "delete" ? SessionBehavior.Delete : SessionBehavior.Release,
            s.Ttl ?? string.Empty,
            TimeSpan.FromTicks(s.LockDelay / 100), // Consul reports nanoseconds.
            (IReadOnlyList<string>?)s.NodeChecks ?? s.Checks ?? [],
            s.CreateIndex);
    }

    private async Task<bool> LockOpAsync(string verb, string key, byte[] value, string sessionId, CancellationToken ct)
    {
        KvKey.ValidateKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        ValidateSessionId(sessionId);
        try
        {
            var response = await _transport.SendAsync(
                    HttpMethod.Put, "v1/kv/" + KvKey.EncodePath(key), "/v1/kv/" + key, [verb + "=" + sessionId], value, null, null, ct)
                .ConfigureAwait(false);
            return _transport.Read(response, ConsulJsonContext.Default.Boolean);
        }
        catch (ConsulUnavailableException ex) when (ex.StatusCode == 500 && ex.ResponseBody?.Contains("invalid session", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Consul reports an unknown session as a 500; that is a lost session, not an outage, and retrying cannot help.
            throw new ConsulSessionNotFoundException(
                $"Consul at {_transport.AddressText} refused {ex.Endpoint} ({verb} of key '{key}'): session {sessionId} does not exist.",
                ex.Endpoint,
                sessionId,
                ex.StatusCode,
                ex.ResponseBody,
                ex);
        }
    }

    private static void ValidateSessionId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);

        // Consul answers a malformed id with a 500, which would look like an outage.
        ConsulNames.ValidateUuid(id, "session id", nameof(id));
    }
}
