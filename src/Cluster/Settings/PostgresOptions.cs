namespace HaManager.Cluster.Settings;

/// <summary>
/// The local PostgreSQL 15 + repmgr installation. HaManager owns one cluster at <see cref="DataDir"/>,
/// started with pg_ctl (so repmgr's own service commands and ours agree on who runs it).
/// </summary>
public sealed class PostgresOptions
{
    public string BinDir { get; set; } = "/usr/lib/postgresql/15/bin";
    public string DataDir { get; set; } = "/var/lib/postgresql/15/hamanager";
    public int Port { get; set; } = 5432;
    /// <summary>Passed with pg_ctl -o '-k …', never written to postgresql.conf (clones copy that file).</summary>
    public string SocketDir { get; set; } = "/var/run/postgresql";
    public string OsUser { get; set; } = "postgres";
    public string LogFile { get; set; } = "/var/log/postgresql/hamanager-postgresql.log";
    public string RepmgrConfigFile { get; set; } = "/etc/hamanager/repmgr.conf";
    public string RepmgrLogFile { get; set; } = "/var/log/postgresql/hamanager-repmgr.log";
    /// <summary>libpq passfile (0600, owned by the OS user) holding the generated credentials.</summary>
    public string PassFile { get; set; } = "/var/lib/hamanager/pgpass";
    /// <summary>"quorum": commits wait for ANY 1 standby (no acknowledged write is lost on failover; writes block with no standby). "off": asynchronous.</summary>
    public string Synchronous { get; set; } = "quorum";
    public int StartTimeoutSeconds { get; set; } = 120;
    /// <summary>
    /// Debian: postgresql-common creates and starts VERSION/main on 5432 when PostgreSQL is installed. True:
    /// bootstrap drops that cluster when it holds <see cref="Port"/> and nothing beyond what initdb created,
    /// and stops with instructions when it holds data. False (the lab, whose nodes share the host's files):
    /// bootstrap leaves postgresql-common's clusters alone.
    /// </summary>
    public bool DropUntouchedMainCluster { get; set; } = true;
    /// <summary>
    /// A primary whose Consul agent answers but has had no Raft leader for this long (a minority
    /// partition) stops PostgreSQL: the majority will promote a standby. 0 disables it.
    /// </summary>
    public int FenceWithoutQuorumSeconds { get; set; } = 6;
    /// <summary>
    /// PostgreSQL itself, in production its own unit (hamanager-postgresql.service, whose drop-in bootstrap
    /// writes from these settings), so that restarting or upgrading `hamanager watch` never stops it. With
    /// the process manager (the lab), an empty start means the pg_ctl command derived from the fields above.
    /// </summary>
    public ServiceOptions Service { get; set; } = new() { Unit = "hamanager-postgresql.service", Forking = true, StopSignal = "INT" };
    public ServiceOptions Repmgrd { get; set; } = new() { Unit = "hamanager-repmgrd.service" };
}
