namespace HaManager.Cluster.Settings;

/// <summary>The local settings file, /etc/hamanager/hamanager.yaml. Every path, port and command has a default.</summary>
public sealed class HaManagerSettings
{
    public const string DefaultPath = "/etc/hamanager/hamanager.yaml";

    public NodeOptions Node { get; set; } = new();
    public ConsulOptions Consul { get; set; } = new();
    public KeepalivedOptions Keepalived { get; set; } = new();
    public PostgresOptions Postgres { get; set; } = new();
    public PgbouncerOptions Pgbouncer { get; set; } = new();
    public SyncthingOptions Syncthing { get; set; } = new();
    public PathsOptions Paths { get; set; } = new();
    public WatchOptions Watch { get; set; } = new();
    public FailoverOptions Failover { get; set; } = new();
    public HistoryOptions History { get; set; } = new();
    public ApiOptions Api { get; set; } = new();
    public LoggingOptions Logging { get; set; } = new();
    public ServiceManagerKind ServiceManager { get; set; } = ServiceManagerKind.Systemd;

    /// <summary>Where these settings were read from, for messages; null when only defaults are in use.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string? SourcePath { get; set; }
}
