namespace HaManager.Cluster.Model;

/// <summary>The VRRP states keepalived reports to its notify script (plus Unknown before the first report).</summary>
public enum KeepalivedState
{
    Unknown,
    Master,
    Backup,
    Fault,
    Stop,
}
