using System.Text.Json.Serialization;

namespace HaManager.Cli.Drill;

/// <summary>`hamanager drill --json` when the drill completed (docs/operations.md, "Failover drill").</summary>
/// <param name="Mode">switchover or kill-primary.</param>
/// <param name="From">The primary before the drill.</param>
/// <param name="To">The node whose server took the first write after the action (the new primary).</param>
/// <param name="RtoSeconds">From the action's start to the first acknowledged write on a server other than the old primary.</param>
/// <param name="LongestGapSeconds">The longest time between two consecutive acknowledged writes over the whole drill.</param>
/// <param name="ClientErrors">Failed writes and connection attempts the writer saw.</param>
/// <param name="AckedRows">Rows whose INSERT was acknowledged.</param>
/// <param name="LostRows">Acknowledged rows missing afterwards, counted on the new primary through the VIP.</param>
/// <param name="Table">The drill's table (created and dropped by the drill).</param>
public sealed record DrillResult(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("rto_seconds")] double RtoSeconds,
    [property: JsonPropertyName("longest_gap_seconds")] double LongestGapSeconds,
    [property: JsonPropertyName("client_errors")] int ClientErrors,
    [property: JsonPropertyName("acked_rows")] long AckedRows,
    [property: JsonPropertyName("lost_rows")] long LostRows,
    [property: JsonPropertyName("table")] string Table,
    [property: JsonPropertyName("table_dropped")] bool TableDropped)
{
    public const string Completed = "completed";
    public const string Refused = "refused";
    public const string Failed = "failed";
}
