using System.Text.Json.Serialization;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Notify;

/// <summary>The fencer stopped this node's PostgreSQL primary because KV names another master; recorded like any hook event (spool first).</summary>
public sealed record PostgresFenced : NotifyEvent
{
    public required NodeName Master { get; init; }
    public int? MasterTimeline { get; init; }
    public required int LocalTimeline { get; init; }

    [JsonIgnore]
    public override string Service => "postgres";

    [JsonIgnore]
    public override string NewState => "FENCED";
}
