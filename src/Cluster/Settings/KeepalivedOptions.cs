namespace HaManager.Cluster.Settings;

public sealed class KeepalivedOptions
{
    public string ConfigFile { get; set; } = "/etc/keepalived/keepalived.conf";
    public string Binary { get; set; } = "/usr/sbin/keepalived";
    /// <summary>The interface that carries the virtual IP and the VRRP adverts.</summary>
    public string Interface { get; set; } = "eth0";
    public ServiceOptions Service { get; set; } = new() { Unit = "keepalived.service" };
}
