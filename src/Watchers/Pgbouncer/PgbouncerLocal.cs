using HaManager.Cluster.Settings;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Pgbouncer;

/// <summary>The pgbouncer service as the local settings define it (it refuses to run as root: it runs as the database OS user).</summary>
public static class PgbouncerLocal
{
    public static ServiceTarget Service(HaManagerSettings settings)
    {
        // Our own PID file: pgbouncer refuses to start when its pidfile names a live process, even itself.
        return new ServiceTarget("pgbouncer", settings.Pgbouncer.Service.WithDefaults(
            [settings.Pgbouncer.Binary, settings.Pgbouncer.ConfigFile],
            Path.Combine(settings.Paths.StateDir, "pgbouncer.service.pid"),
            settings.Pgbouncer.LogFile + ".service",
            settings.Postgres.OsUser));
    }
}
