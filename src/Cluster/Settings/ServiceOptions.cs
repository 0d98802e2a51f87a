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
    /// <summary>Process manager: the signal that stops the service (PostgreSQL wants INT: fast shutdown).</summary>
    public string StopSignal { get; set; } = "TERM";
    /// <summary>
    /// Process manager: the start command daemonizes itself (like pg_ctl start) — run it to completion
    /// and read the PID from <see cref="PidFile"/>, which the daemon writes (first line).
    /// </summary>
    public bool Forking { get; set; }
    /// <summary>Overrides service_manager for this service ("systemd" or "process"); empty = the global one.</summary>
    public string Manager { get; set; } = string.Empty;
    public int StopTimeoutSeconds { get; set; } = 10;
    /// <summary>Run as this user (process manager only), for daemons that refuse to run as root.</summary>
    public string User { get; set; } = string.Empty;
    /// <summary>
    /// Process manager: the program the PID in <see cref="PidFile"/> must be running before it is signalled
    /// (/proc/PID/exe). Empty = the first word of <see cref="Start"/>; a forking service whose start command is a
    /// launcher (pg_ctl) names its daemon here (postgres).
    /// </summary>
    public string Executable { get; set; } = string.Empty;

    /// <summary>A copy in which every empty field takes the given default (start command, PID file, log file, user, executable).</summary>
    public ServiceOptions WithDefaults(IReadOnlyList<string> start, string pidFile, string logFile, string user, string executable = "") => new()
    {
        Unit = Unit,
        Manager = Manager,
        Start = Start.Count > 0 ? Start : [.. start],
        PidFile = PidFile.Length > 0 ? PidFile : pidFile,
        LogFile = LogFile.Length > 0 ? LogFile : logFile,
        ReloadSignal = ReloadSignal,
        StopSignal = StopSignal,
        StopTimeoutSeconds = StopTimeoutSeconds,
        Forking = Forking,
        User = User.Length > 0 ? User : user,
        Executable = Executable.Length > 0 ? Executable : executable,
    };
}
