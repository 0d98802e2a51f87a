using HaManager.Cluster.Consul;
using Serilog;

namespace HaManager.Cluster.Locks;

/// <summary>
/// A KV lock held by a Consul session with a TTL and no health checks (a short network blip must not
/// invalidate it), renewed at TTL/2 while held. Dispose releases the key and destroys the session.
/// When the session is gone (destroyed, or not renewed within its TTL), <see cref="Lost"/> is
/// cancelled: work that needed the lock must stop, since someone else may hold it now.
/// </summary>
public sealed class ConsulLock : IAsyncDisposable, ILockLease
{
    private readonly ConsulClient _client;
    private readonly CancellationTokenSource _renewal = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly TimeSpan _ttl;
    private readonly Task _renewTask;
    private readonly ILogger _logger;

    private ConsulLock(ConsulClient client, string key, string sessionId, TimeSpan ttl, ILogger logger)
    {
        _client = client;
        Key = key;
        SessionId = sessionId;
        _logger = logger;
        _ttl = ttl;
        _renewTask = RenewAsync(ttl / 2, _renewal.Token);
    }

    public string Key { get; }
    public string SessionId { get; }

    /// <summary>Cancelled once the lock can no longer be trusted to be held.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Why <see cref="Lost"/> was cancelled.</summary>
    public string? LostReason { get; private set; }

    public static async Task<ConsulLock> AcquireAsync(ConsulClient client, string key, string holder, TimeSpan ttl, TimeSpan timeout,
        ILogger logger, CancellationToken cancellationToken)
    {
        var request = new SessionRequest($"hamanager lock {key} for {holder}", ttl, SessionBehavior.Release, TimeSpan.FromSeconds(1));
        var session = await client.CreateSessionAsync(request, cancellationToken);
        var value = System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { holder }));
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            var index = new BlockingIndex();
            while (true)
            {
                try
                {
                    if (await client.AcquireAsync(key, value, session, cancellationToken)) return new ConsulLock(client, key, session, ttl, logger);
                }
                catch (ConsulSessionNotFoundException e) when (DateTime.UtcNow < deadline)
                {
                    // A node that has just joined is registered in the catalog a moment after its agent
                    // starts, and that registration may invalidate a session created before it: a new one.
                    logger.Information("Session {Session} for lock {Key} vanished before it was used ({Reason}); creating another", session, key, e.Message);
                    session = await client.CreateSessionAsync(request, cancellationToken);
                    continue;
                }

                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    var current = (await client.GetAsync(key, null, cancellationToken)).Value;
                    throw new TimeoutException($"could not take the lock '{key}' within {timeout.TotalSeconds:0} s; it is held by {current?.ValueAsString() ?? "nobody (lock-delay?)"}");
                }

                // Wait for the holder to release it rather than polling.
                var wait = remaining < TimeSpan.FromSeconds(2) ? remaining : TimeSpan.FromSeconds(2);
                var result = await client.GetAsync(key, index.NextQuery(wait), cancellationToken);
                index.Advance(result.Index);
            }
        }
        catch
        {
            await client.DestroySessionAsync(session, CancellationToken.None);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _renewal.CancelAsync();
        await _renewTask;
        try
        {
            await _client.ReleaseAsync(Key, [], SessionId, CancellationToken.None);
        }
        catch (ConsulSessionNotFoundException)
        {
            // Already gone: nothing left to release.
        }
        finally
        {
            try
            {
                await _client.DestroySessionAsync(SessionId, CancellationToken.None);
            }
            catch (ConsulException e)
            {
                _logger.Warning("Could not destroy session {Session} of lock {Key} (it expires with its TTL): {Reason}", SessionId, Key, e.Message);
            }

            _renewal.Dispose();
            _lost.Dispose();
        }
    }

    private async Task RenewAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        var renewedAt = DateTime.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await _client.RenewSessionAsync(SessionId, cancellationToken);
                    renewedAt = DateTime.UtcNow;
                }
                catch (ConsulSessionNotFoundException e)
                {
                    MarkLost($"its session {SessionId} is gone: {e.Message}");
                    return;
                }
                catch (ConsulException e)
                {
                    _logger.Warning("Could not renew the session holding {Key}: {Reason}", Key, e.Message);
                    if (DateTime.UtcNow - renewedAt >= _ttl)
                    {
                        MarkLost($"its session {SessionId} could not be renewed for {_ttl.TotalSeconds:0} s (its TTL): {e.Message}");
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void MarkLost(string reason)
    {
        LostReason = reason;
        _logger.Error("Lost the lock {Key}: {Reason}", Key, reason);
        _lost.Cancel();
    }
}
