using System.Text;

namespace HaManager.Cluster.Consul;

/// <summary>A response already read to the end, so callers never hold a connection.</summary>
internal sealed record ConsulResponse(string Endpoint, int StatusCode, byte[] Body, ulong Index, bool KnownLeader, TimeSpan LastContact)
{
    private const int MaxBodyInMessage = 512;

    public QueryResult<T> ToResult<T>(T value) => new(value, Index, KnownLeader, LastContact);

    /// <summary>The body as text for error messages: trimmed and bounded so a huge answer cannot flood logs.</summary>
    public string BodyForMessage()
    {
        var text = Encoding.UTF8.GetString(Body).Trim();
        return text.Length <= MaxBodyInMessage ? text : text[..MaxBodyInMessage] + "…";
    }
}
