using System.Text.Json.Serialization;

namespace HaManager.Cli.Commands;

/// <summary>`maintenance on|off --json`. After `off`, by/reason/since/until describe the window that was ended (null when there was none).</summary>
public sealed record MaintenanceResult(
    [property: JsonPropertyName("maintenance")] string State,
    [property: JsonPropertyName("changed")] bool Changed,
    [property: JsonPropertyName("by")] string? By,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("since")] DateTimeOffset? Since,
    [property: JsonPropertyName("until")] DateTimeOffset? Until);
