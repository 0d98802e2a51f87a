using System.Net;
using System.Text.Json.Serialization;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Notify;

/// <summary>A repmgr event (event_notification_command) that changes this node's role.</summary>
public sealed record RepmgrEvent : NotifyEvent
{
    /// <summary>Promotions by repmgr, and by HaManager's own failure detector and switchover.</summary>
    public static readonly IReadOnlySet<string> PromoteEvents = new HashSet<string>(StringComparer.Ordinal)
    {
        "repmgrd_failover_promote", "standby_promote", HamanagerFailoverPromote, HamanagerSwitchoverPromote,
    };

    public const string HamanagerFailoverPromote = "hamanager_failover_promote";
    public const string HamanagerSwitchoverPromote = "hamanager_switchover_promote";
    public static readonly IReadOnlySet<string> FollowEvents = new HashSet<string>(StringComparer.Ordinal) { "standby_follow", "repmgrd_failover_follow", "node_rejoin", HamanagerFollow };

    public const string HamanagerFollow = "hamanager_follow";

    /// <summary>HaManager made <paramref name="node"/> a standby of the recorded primary (a re-point, a rejoin after fencing, a rejoin by bootstrap).</summary>
    /// <param name="previousState">What the node was before, when the caller knows (a re-pointed standby); otherwise history infers it.</param>
    public static RepmgrEvent Follow(NodeName node, int nodeId, PostgresMasterRecord master, string details, string? previousState = null) => new()
    {
        Node = node, At = DateTimeOffset.UtcNow, NodeId = nodeId, Event = HamanagerFollow, Success = true,
        Host = master.Host, Port = master.Port, PreviousState = previousState, RepmgrDetails = details,
    };

    public required int NodeId { get; init; }
    public required string Event { get; init; }
    public required bool Success { get; init; }
    public required IPAddress Host { get; init; }
    public required int Port { get; init; }
    public string? RepmgrDetails { get; init; }
    /// <summary>The node's timeline after the event (a promotion starts a new one); null when it could not be read.</summary>
    public int? Timeline { get; init; }

    [JsonIgnore]
    public bool IsPromotion => Success && PromoteEvents.Contains(Event);

    [JsonIgnore]
    public bool IsFollow => Success && FollowEvents.Contains(Event);

    [JsonIgnore]
    public override string Service => "postgres";

    [JsonIgnore]
    public override string NewState => IsPromotion ? "PRIMARY" : IsFollow ? "STANDBY" : "UNCHANGED";
}
