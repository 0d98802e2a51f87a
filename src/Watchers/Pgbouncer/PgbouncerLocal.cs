using HaManager.Cluster.Settings;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Pgbouncer;

/// <summary>The pgbouncer service as the local settings define it (it refuses to run as root: it runs as the database OS user).</summary>
public static class PgbouncerLocal
{
    public static ServiceTarget Service(HaManagerSettings settings)
    {
        var configured = settings.Pgbouncer.Service;
        return new ServiceTarget("pgbouncer", new ServiceOptions
        {
            Unit = configured.Unit,
            Manager = configured.Manager,
            Start = configured.Start.Count > 0 ? configured.Start : [settings.Pgbouncer.Binary, settings.Pgbouncer.ConfigFile],
            // Our own PID file: pgbouncer refuses to start when its pidfile names a live process, even itself.
            PidFile = configured.PidFile.Length > 0 ? configured.PidFile : Path.Combine(settings.Paths.StateDir, "pgbouncer.service.pid"),
            LogFile = configured.LogFile.Length > 0 ? configured.LogFile : settings.Pgbouncer.LogFile + ".service",
            ReloadSignal = configured.ReloadSignal,
            StopSignal = configured.StopSignal,
            StopTimeoutSeconds = configured.StopTimeoutSeconds,
            Forking = configured.Forking,
            User = configured.User.Length > 0 ? configured.User : settings.Postgres.OsUser,
        });
    }
}
