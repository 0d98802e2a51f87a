namespace HaManager.Cluster.Consul;

/// <summary>
/// The session no longer exists (expired, destroyed or never created), so any lock it held is gone:
/// the holder must stop acting as the lock owner.
/// </summary>
public sealed class ConsulSessionNotFoundException : ConsulException
{
    public ConsulSessionNotFoundException(string message, string endpoint, string sessionId, int? statusCode = null, string? responseBody = null, Exception? innerException = null)
        : base(message, endpoint, statusCode, responseBody, innerException)
    {
        SessionId = sessionId;
    }

    public string SessionId { get; }
}
