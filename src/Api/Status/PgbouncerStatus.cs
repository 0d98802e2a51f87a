using System.Text.Json.Serialization;

namespace HaManager.Api.Status;

/// <param name="Target">The node this node's pgbouncer sends clients to, as the node last published it.</param>
public sealed record PgbouncerStatus([property: JsonPropertyName("target")] string? Target);
