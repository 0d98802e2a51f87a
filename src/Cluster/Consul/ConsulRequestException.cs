namespace HaManager.Cluster.Consul;

/// <summary>Consul answered with a non-success code that retrying will not fix (400, 403, 413, ...).</summary>
public sealed class ConsulRequestException : ConsulException
{
    public ConsulRequestException(string message, string endpoint, int? statusCode = null, string? responseBody = null, Exception? innerException = null)
        : base(message, endpoint, statusCode, responseBody, innerException)
    {
    }
}
