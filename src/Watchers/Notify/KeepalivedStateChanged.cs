using System.Text.Json.Serialization;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Notify;

public sealed record KeepalivedStateChanged : NotifyEvent
{
    public required KeepalivedState State { get; init; }
    public required int Priority { get; init; }
    public required string Instance { get; init; }

    [JsonIgnore]
    public override string Service => "keepalived";

    [JsonIgnore]
    public override string NewState => State.ToString().ToUpperInvariant();
}
