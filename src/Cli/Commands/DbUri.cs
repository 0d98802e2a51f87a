using System.Text.Json.Serialization;

namespace HaManager.Cli.Commands;

/// <summary>`hamanager db uri --json` (docs/operations.md); never the password.</summary>
public sealed record DbUri(
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("database")] string Database,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("via")] string Via);
