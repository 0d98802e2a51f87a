namespace HaManager.Cluster.Consul;

/// <summary>
/// The TLS handshake with Consul failed: the server's certificate is not trusted or names another host, or the
/// server refused our client certificate. A configuration or attack problem, not an outage, so never retried as one.
/// </summary>
public sealed class ConsulTlsException : ConsulException
{
    public ConsulTlsException(string message, string endpoint, Exception? innerException = null)
        : base(message, endpoint, null, null, innerException)
    {
    }
}
