using System.Text.Json.Serialization;

namespace HaManager.Api.Rules;

/// <summary>How old each piece of knowledge behind an answer is, in milliseconds; null when this node has none yet.</summary>
/// <param name="Postgres">The local PostgreSQL's last read (role, streaming).</param>
/// <param name="Consul">The local Consul agent's last answer: what this node knows of KV (the registered primary) is as of then.</param>
/// <param name="Cluster">The last cluster document (lag, every node's role).</param>
/// <param name="Services">The last check of the local services.</param>
public sealed record DataAges(
    [property: JsonPropertyName("postgres")] long? Postgres,
    [property: JsonPropertyName("consul")] long? Consul,
    [property: JsonPropertyName("cluster")] long? Cluster,
    [property: JsonPropertyName("services")] long? Services);
