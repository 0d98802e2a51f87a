using HaManager.Watchers.Postgres;
using HaManager.Watchers.Processes;

namespace HaManager.Cli.Drill;

/// <summary>
/// `drill --kill-primary`'s action: this node's PostgreSQL dies as in a crash. SIGKILL to the postmaster (as
/// bench/chaos' postmaster-kill scenario does), not a shutdown: no checkpoint, no goodbye to the standbys, clients
/// cut off. The PID comes from postmaster.pid and is signalled only when /proc shows it runs this installation's
/// postgres and started before the file was written (<see cref="PidFileValidator"/>), through a pidfd so a reused
/// PID is never hit. Nothing read from KV is executed or signalled.
/// </summary>
public sealed class PostmasterKill(PostgresLocal local)
{
    public string PidFile => Path.Combine(local.DataDir, "postmaster.pid");

    /// <returns>The PID that was killed.</returns>
    /// <exception cref="InvalidOperationException">No trusted postmaster to kill (nothing was signalled).</exception>
    public int Kill()
    {
        var service = local.PostgresService;
        var executable = Posix.ResolveCommand(service.Executable.Length > 0 ? service.Executable : local.Bin("postgres"));
        var check = PidFileValidator.Check(PidFile, executable);
        if (check.Process is not { } postmaster)
            throw new InvalidOperationException($"this node's PostgreSQL was not stopped: {check.Reason}");
        if (!Posix.Signal(postmaster, Posix.SigKill))
            throw new InvalidOperationException($"this node's PostgreSQL was not stopped: the postmaster (PID {postmaster.Pid}) exited before the signal");
        return postmaster.Pid;
    }
}
