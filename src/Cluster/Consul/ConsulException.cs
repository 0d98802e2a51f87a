namespace HaManager.Cluster.Consul;

/// <summary>Base for every failure talking to Consul. A single lost CAS is not a failure and never raises this; a CAS that keeps losing does (<see cref="KvContentionException"/>).</summary>
public class ConsulException : Exception
{
    public ConsulException(string message, string endpoint, int? statusCode = null, string? responseBody = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    /// <summary>HTTP method and path, e.g. "PUT /v1/kv/hamanager/config".</summary>
    public string Endpoint { get; }

    /// <summary>HTTP status Consul answered with; null when no answer arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>Body Consul answered with (trimmed), when there was one.</summary>
    public string? ResponseBody { get; }
}
