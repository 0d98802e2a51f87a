namespace HaManager.Watchers.Processes;

public enum PidFileState
{
    /// <summary>No PID file: the service is not running (or was never started by us).</summary>
    Missing,

    /// <summary>The PID file names no live process: stale after a crash.</summary>
    NotRunning,

    /// <summary>The PID names a live process that is not the service (PID reused, or planted): never signal it.</summary>
    Untrusted,

    /// <summary>The PID names the service's own process.</summary>
    Trusted,
}
