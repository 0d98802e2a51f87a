using HaManager.Cluster.Settings;

namespace HaManager.Watchers.Postgres;

/// <summary>
/// Everything about this node's PostgreSQL installation that follows from the local settings: the
/// pg_ctl command lines (shared by our service manager and repmgr's service_*_command), the effective
/// service definitions, and how to run a tool as the database OS user.
/// </summary>
public sealed class PostgresLocal(HaManagerSettings settings)
{
    public const string ReplicationConfFile = "hamanager-replication.conf";
    public const string StaticConfFile = "hamanager.conf";

    private PostgresOptions Options => settings.Postgres;

    public string OsUser => Options.OsUser;
    public string DataDir => Options.DataDir;
    public string SocketDir => Options.SocketDir;
    public int Port => Options.Port;
    public string PassFile => Options.PassFile;
    public string RepmgrConfigFile => Options.RepmgrConfigFile;
    public string Bin(string tool) => Path.Combine(Options.BinDir, tool);

    /// <summary>True once initdb or a clone has produced a data directory.</summary>
    public bool DataDirectoryExists() => File.Exists(Path.Combine(DataDir, "PG_VERSION"));

    public bool IsStandbyDataDirectory() => File.Exists(Path.Combine(DataDir, "standby.signal"));

    /// <summary>The socket directory and port go on the command line: postgresql.conf is copied to every clone.</summary>
    public string ServerOptions => $"-k {SocketDir} -p {Port}";

    public IReadOnlyList<string> PgCtl(params string[] verb) =>
        [Bin("pg_ctl"), "-D", DataDir, "-l", Options.LogFile, "-w", "-t", Options.StartTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", ServerOptions, .. verb];

    /// <summary>The same pg_ctl call as one shell command line, for repmgr.conf (repmgr runs it through a shell).</summary>
    public string PgCtlCommandLine(params string[] verb) =>
        string.Join(' ', PgCtl(verb).Select(word => word.Contains(' ', StringComparison.Ordinal) ? $"\"{word}\"" : word));

    /// <summary>Started by pg_ctl, which exits: the PID in postmaster.pid must be the postmaster itself.</summary>
    public ServiceOptions PostgresService =>
        Options.Service.WithDefaults(PgCtl("start"), Path.Combine(DataDir, "postmaster.pid"), Options.LogFile + ".service", OsUser, Bin("postgres"));

    /// <summary>
    /// When this node last became a primary (written by bootstrap and by the repmgr promote hook, before
    /// KV hears of it). A primary promoted after the master KV names is ahead of KV, not a split brain.
    /// </summary>
    public string PromotedAtFile => Path.Combine(settings.Paths.StateDir, "postgres", "promoted-at");

    public DateTimeOffset? ReadPromotedAt()
    {
        try
        {
            return DateTimeOffset.TryParse(File.ReadAllText(PromotedAtFile).Trim(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// When this node last became a primary: the newest timeline history file in pg_wal (PostgreSQL writes
    /// it at the moment of promotion, before accepting writes — no race with the hook), or the marker.
    /// </summary>
    public DateTimeOffset? LastPromotion()
    {
        var wal = Path.Combine(DataDir, "pg_wal");
        DateTimeOffset? history = Directory.Exists(wal)
            ? Directory.GetFiles(wal, "*.history").Select(f => (DateTimeOffset?)new DateTimeOffset(File.GetLastWriteTimeUtc(f), TimeSpan.Zero)).Max()
            : null;
        var marker = ReadPromotedAt();
        return history is null ? marker : marker is null ? history : (history > marker ? history : marker);
    }

    /// <summary>
    /// This data directory's newest timeline: the highest timeline history file in pg_wal (PostgreSQL
    /// writes it at the moment of a promotion, before it accepts a write), or 1 when there is none.
    /// </summary>
    public int Timeline()
    {
        var wal = Path.Combine(DataDir, "pg_wal");
        if (!Directory.Exists(wal)) return 1;
        var timelines = Directory.GetFiles(wal, "*.history")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Select(name => int.TryParse(name, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var tli) ? tli : 0);
        return Math.Max(1, timelines.DefaultIfEmpty(1).Max());
    }

    public Task WritePromotedAtAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        Files.AtomicFile.WriteAsync(PromotedAtFile, at.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + "\n", cancellationToken: cancellationToken);

    /// <summary>Present while this node stopped its own primary for lack of a Consul quorum (reason inside).</summary>
    public string QuorumFenceFile => Path.Combine(settings.Paths.StateDir, "postgres", "fenced-without-quorum");

    public TimeSpan FenceWithoutQuorum => TimeSpan.FromSeconds(Options.FenceWithoutQuorumSeconds);

    /// <summary>repmgrd's own PID file (repmgr.conf); the service manager keeps a separate one.</summary>
    public string RepmgrdPidFile => Path.Combine(settings.Paths.StateDir, "postgres", "repmgrd.pid");

    public ServiceOptions RepmgrdService => Derive(Options.Repmgrd,
        [Bin("repmgrd"), "-f", RepmgrConfigFile, "--daemonize=false"],
        Path.Combine(settings.Paths.StateDir, "repmgrd.service.pid"),
        Options.RepmgrLogFile + ".service");

    /// <summary>Runs a tool as the database OS user (repmgr and pg_ctl refuse to run as root).</summary>
    public IReadOnlyList<string> AsOsUser(params string[] command) =>
        ["setpriv", $"--reuid={OsUser}", $"--regid={OsUser}", "--init-groups", "--", .. command];

    public IReadOnlyDictionary<string, string> ToolEnvironment => new Dictionary<string, string>
    {
        ["PGPASSFILE"] = PassFile,
        ["PGCONNECT_TIMEOUT"] = "5",
    };

    /// <summary>Npgsql over the local socket as the postgres superuser (peer authentication mapped from root).</summary>
    public string SuperuserConnectionString(string database = "postgres") =>
        $"Host={SocketDir};Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=5;Command Timeout=30";

    private ServiceOptions Derive(ServiceOptions configured, IReadOnlyList<string> start, string pidFile, string logFile) =>
        configured.WithDefaults(start, pidFile, logFile, OsUser);
}
