namespace HaManager.Cluster.Settings;

public enum ServiceManagerKind
{
    Systemd,
    Process,
}
