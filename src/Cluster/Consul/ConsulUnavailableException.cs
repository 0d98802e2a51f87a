namespace HaManager.Cluster.Consul;

/// <summary>
/// Consul could not be reached, did not answer in time or answered with a 5xx: the request may be retried
/// (possibly against another agent).
/// </summary>
public sealed class ConsulUnavailableException : ConsulException
{
    public ConsulUnavailableException(string message, string endpoint, int? statusCode = null, string? responseBody = null, Exception? innerException = null)
        : base(message, endpoint, statusCode, responseBody, innerException)
    {
    }
}
