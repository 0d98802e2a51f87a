using System.Text.Json.Serialization;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Notify;

/// <summary>A state change reported by a service hook; recorded in KV, or spooled when Consul is away.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(KeepalivedStateChanged), "keepalived")]
[JsonDerivedType(typeof(RepmgrEvent), "repmgr")]
[JsonDerivedType(typeof(PostgresFenced), "postgres_fenced")]
public abstract record NotifyEvent
{
    public required NodeName Node { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The hook process's fork order (boot:tick:pid), "BOOT:TICKS:PID"; orders events that the clock cannot.</summary>
    public string? ForkOrder { get; init; }

    /// <summary>The state this node last reported locally, so "from" survives a Consul outage.</summary>
    public string? PreviousState { get; init; }

    [JsonIgnore]
    public abstract string Service { get; }

    [JsonIgnore]
    public abstract string NewState { get; }
}
