namespace HaManager.Cluster.Settings;

/// <summary>
/// How to run one local service. Production uses the systemd unit; the lab's process manager
/// starts <see cref="Start"/> and stops/signals the PID recorded in <see cref="PidFile"/>.
/// These come only from the local settings file — never from KV.
/// </summary>
public sealed class ServiceOptions
{
    public string Unit { get; set; } = string.Empty;
    public List<string> Start { get; set; } = [];
    public string PidFile { get; set; } = string.Empty;
    public string LogFile { get; set; } = string.Empty;
    public string ReloadSignal { get; set; } = "HUP";
    public int StopTimeoutSeconds { get; set; } = 10;
    /// <summary>Run as this user (process manager only), for daemons that refuse to run as root.</summary>
    public string User { get; set; } = string.Empty;
}
