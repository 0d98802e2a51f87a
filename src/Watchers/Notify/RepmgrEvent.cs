using System.Net;
using System.Text.Json.Serialization;

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
