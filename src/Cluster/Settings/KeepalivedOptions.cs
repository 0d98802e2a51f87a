namespace HaManager.Cluster.Settings;

public sealed class KeepalivedOptions
{
    public string ConfigFile { get; set; } = "/etc/keepalived/keepalived.conf";
    public string Binary { get; set; } = "/usr/sbin/keepalived";
    /// <summary>The interface that carries the virtual IP and the VRRP adverts; empty: the interface that carries node.address.</summary>
    public string Interface { get; set; } = string.Empty;
    /// <summary>The track file that makes the VIP follow the PostgreSQL primary; empty: paths.state_dir/keepalived-primary.</summary>
    public string TrackFile { get; set; } = string.Empty;
    public ServiceOptions Service { get; set; } = new() { Unit = "keepalived.service" };
}
