using HaManager.Cluster.Settings;
using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Postgres;

internal static class PostgresWatcherFactory
{
    public static HaManagerSettings Settings(string root, string node = "n1", string address = "10.231.0.11")
    {
        var settings = new HaManagerSettings { ServiceManager = ServiceManagerKind.Process };
        settings.Node.Name = node;
        settings.Node.Address = address;
        settings.Paths.StateDir = Path.Combine(root, "state");
        settings.Postgres.DataDir = Path.Combine(root, "data");
        settings.Postgres.SocketDir = Path.Combine(root, "run");
        settings.Postgres.RepmgrConfigFile = Path.Combine(root, "repmgr.conf");
        settings.Postgres.OsUser = Environment.UserName;
        settings.Pgbouncer.ConfigFile = Path.Combine(root, "pgbouncer.ini");
        settings.Pgbouncer.AuthFile = Path.Combine(root, "userlist.txt");
        return settings;
    }

    /// <summary>Makes the directory look like an initialized PostgreSQL data directory (primary unless standby).</summary>
    public static void FakeDataDirectory(HaManagerSettings settings, bool standby)
    {
        Directory.CreateDirectory(settings.Postgres.DataDir);
        File.WriteAllText(Path.Combine(settings.Postgres.DataDir, "PG_VERSION"), "15\n");
        if (standby) File.WriteAllText(Path.Combine(settings.Postgres.DataDir, "standby.signal"), string.Empty);
    }

    public static PostgresLocal Local(HaManagerSettings settings) => new(settings);
}
