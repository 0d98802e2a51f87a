namespace HaManager.Cluster.Settings;

public sealed class PgbouncerOptions
{
    public string ConfigFile { get; set; } = "/etc/pgbouncer/pgbouncer.ini";
    public string AuthFile { get; set; } = "/etc/pgbouncer/userlist.txt";
    public string ListenAddress { get; set; } = "*";
    public int ListenPort { get; set; } = 6432;
    public string SocketDir { get; set; } = "/var/run/postgresql";
    public string PidFile { get; set; } = "/var/run/postgresql/pgbouncer.pid";
    public string LogFile { get; set; } = "/var/log/postgresql/pgbouncer.log";
    public string Binary { get; set; } = "/usr/sbin/pgbouncer";
    /// <summary>How long a client waits for a server connection (pgbouncer's 120 s default would hide a failover).</summary>
    public int QueryWaitTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// transaction: a client holds a server connection only during a transaction, so PAUSE (switchover) completes
    /// as soon as running transactions end and clients see a pause, not an error. session: PAUSE waits until
    /// every client disconnects, so a switchover cannot pause clients and is refused after its pause timeout.
    /// </summary>
    public string PoolMode { get; set; } = "transaction";
    public ServiceOptions Service { get; set; } = new() { Unit = "pgbouncer.service" };
}
