using System.Text.Json.Serialization;

namespace HaManager.Api.Status;

/// <summary>An open maintenance window in `status --json`: automatic failover, fencing and VIP moves are paused.</summary>
public sealed record MaintenanceStatus(
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("since")] DateTimeOffset Since,
    [property: JsonPropertyName("until")] DateTimeOffset? Until);
