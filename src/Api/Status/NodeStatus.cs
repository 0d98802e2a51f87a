using System.Text.Json.Serialization;

namespace HaManager.Api.Status;

public sealed record NodeStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string? Address,
    [property: JsonPropertyName("alive")] bool? Alive,
    [property: JsonPropertyName("joined_at")] DateTimeOffset? JoinedAt,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("keepalived")] KeepalivedStatus Keepalived,
    [property: JsonPropertyName("postgres")] PostgresStatus Postgres,
    [property: JsonPropertyName("pgbouncer")] PgbouncerStatus Pgbouncer,
    [property: JsonPropertyName("syncthing")] SyncthingStatus Syncthing);
