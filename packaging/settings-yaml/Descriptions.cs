namespace HaManager.Packaging.SettingsYaml;

/// <summary>
/// The comment above each setting in the packaged hamanager.yaml, keyed by "Class.Property" of
/// src/Cluster/Settings. The writer refuses to run while a setting has no entry here or an entry
/// names no setting, so a new setting cannot reach the package undocumented.
/// </summary>
public static class Descriptions
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["HaManagerSettings.Node"] = "This node. node.address has no default: set it before running hamanager.",
        ["NodeOptions.Name"] = "This node's name in the cluster (Consul node name, KV keys, keepalived router_id). Empty means the short host name; bootstrap --node-name overrides it.",
        ["NodeOptions.Address"] = "REQUIRED. The IP address the other members reach this node on. bootstrap --address overrides it for that run only: hamanager watch and the notify hooks read it from this file.",

        ["HaManagerSettings.Consul"] = "The local Consul server agent, configured and started by hamanager bootstrap.",
        ["ConsulOptions.Address"] = "HTTP API of the local Consul agent. --consul and CONSUL_HTTP_ADDR win over it.",
        ["ConsulOptions.Token"] = "ACL token for the HTTP API; empty means the token files bootstrap wrote in secrets_dir. CONSUL_HTTP_TOKEN and CONSUL_HTTP_TOKEN_FILE win over both.",
        ["ConsulOptions.KvPrefix"] = "Prefix of every HaManager key in Consul KV; the same on every node.",
        ["ConsulOptions.Datacenter"] = "Consul datacenter name (letters, digits, '-' or '_').",
        ["ConsulOptions.ConfigFile"] = "The Consul server configuration that bootstrap writes; hamanager-consul.service runs Consul with it.",
        ["ConsulOptions.DataDir"] = "Consul's data directory (Raft log, KV snapshots).",
        ["ConsulOptions.HttpPort"] = "Consul's plain HTTP API port, on 127.0.0.1 only.",
        ["ConsulOptions.HttpsPort"] = "Consul's HTTPS API port on the node address (verified with the cluster CA); also the port of --join addresses given without one.",
        ["ConsulOptions.SecretsDir"] = "Root-only (0700) directory of this node's Consul ACL tokens (node.token, admin.token; management.token and operator.token on the first node) and TLS files (tls/ca.pem, tls/server.pem, tls/server-key.pem), written by bootstrap.",
        ["ConsulOptions.ServerStabilizationTime"] = "How long a joining server must be healthy before autopilot makes it a voter (500ms, 10s, 1m).",
        ["ConsulOptions.JoinTimeoutSeconds"] = "How long bootstrap waits for a Consul leader, for voter status and for the bootstrap lock.",
        ["ConsulOptions.Service"] = "How the Consul agent is run.",

        ["HaManagerSettings.Keepalived"] = "keepalived, which holds the virtual IP on the active node.",
        ["KeepalivedOptions.ConfigFile"] = "The keepalived configuration rendered from Consul KV (local edits are overwritten).",
        ["KeepalivedOptions.Binary"] = "keepalived executable, used to check a rendered file (keepalived -t -e -f FILE) before installing it.",
        ["KeepalivedOptions.Interface"] = "Network interface that carries the virtual IP and the VRRP adverts. Empty means the interface that carries node.address (found when bootstrap and hamanager watch start); set it when the VIP belongs on another interface.",
        ["KeepalivedOptions.TrackFile"] = "The file keepalived tracks (track_file, weight = the cluster's top priority) so the VIP follows the PostgreSQL primary: hamanager watch writes 1 on the primary, 0 elsewhere. Empty means paths.state_dir/keepalived-primary.",
        ["KeepalivedOptions.Service"] = "How keepalived is run.",

        ["ServiceOptions.Unit"] = "systemd unit (service_manager: systemd).",
        ["ServiceOptions.Start"] = "Command that runs the daemon in the foreground, as a list of words (service_manager: process only).",
        ["ServiceOptions.PidFile"] = "PID file the process manager writes and signals (service_manager: process only).",
        ["ServiceOptions.LogFile"] = "File the daemon's output is appended to; empty means next to pid_file (service_manager: process only).",
        ["ServiceOptions.ReloadSignal"] = "Signal that makes the daemon re-read its configuration: HUP, USR1, USR2, TERM or INT (service_manager: process; systemd uses systemctl reload).",
        ["ServiceOptions.StopTimeoutSeconds"] = "Seconds between SIGTERM and SIGKILL when stopping (service_manager: process only).",
        ["ServiceOptions.User"] = "Run the daemon as this user; empty means root (PostgreSQL, repmgrd and pgbouncer default to postgres.os_user) (service_manager: process only).",
        ["ServiceOptions.StopSignal"] = "Signal that stops the daemon: TERM, INT or QUIT (process manager only; PostgreSQL uses INT, a fast shutdown).",
        ["ServiceOptions.Forking"] = "The start command daemonizes itself (like pg_ctl start): run it to completion and read the PID from pid_file (process manager only).",
        ["ServiceOptions.Executable"] = "The program a PID in pid_file must belong to before it is trusted (/proc/PID/exe); empty means the first word of start, found on PATH (process manager only).",
        ["ServiceOptions.Manager"] = "Overrides service_manager for this service: systemd or process; empty means the global one.",

        ["HaManagerSettings.Postgres"] = "PostgreSQL 15 + repmgr. HaManager owns one cluster at data_dir, started with pg_ctl like repmgr's own service commands.",
        ["PostgresOptions.BinDir"] = "Directory of the PostgreSQL 15 programs (pg_ctl, initdb, repmgr, repmgrd, psql). RPM systems: /usr/pgsql-15/bin.",
        ["PostgresOptions.DataDir"] = "The PostgreSQL data directory HaManager creates (primary) or clones into (standby).",
        ["PostgresOptions.Port"] = "PostgreSQL port, the same on every node.",
        ["PostgresOptions.SocketDir"] = "Unix socket directory, passed with pg_ctl -o '-k ...' (never in postgresql.conf, which clones copy).",
        ["PostgresOptions.OsUser"] = "The operating-system user PostgreSQL, repmgr, repmgrd and pgbouncer run as.",
        ["PostgresOptions.LogFile"] = "PostgreSQL's server log (pg_ctl -l).",
        ["PostgresOptions.RepmgrConfigFile"] = "repmgr.conf rendered from KV and local settings (local edits are overwritten).",
        ["PostgresOptions.RepmgrLogFile"] = "repmgr's and repmgrd's log.",
        ["PostgresOptions.PassFile"] = "libpq passfile with the generated credentials (mode 0600, owned by os_user).",
        ["PostgresOptions.Synchronous"] = "quorum: a commit is acknowledged once ANY 1 standby has it (no acknowledged write is lost on failover; with no standby reachable, commits wait). off: asynchronous.",
        ["PostgresOptions.DropUntouchedMainCluster"] = "Debian creates and starts the cluster 15/main on port 5432 when PostgreSQL is installed. true: bootstrap drops it (pg_dropcluster --stop) when it holds postgres.port and nothing beyond what initdb created, and stops with instructions, changing nothing, when it holds data. false: bootstrap leaves postgresql-common's clusters alone.",
        ["PostgresOptions.StartTimeoutSeconds"] = "pg_ctl -t: how long start and stop may take.",
        ["PostgresOptions.FenceWithoutQuorumSeconds"] = "A primary that has had neither a Consul leader (or an answering local agent) nor a standby streaming from it for this long (it is cut off) stops PostgreSQL. A Consul outage alone never stops it. 0 disables it.",
        ["PostgresOptions.Service"] = "How PostgreSQL is run: its own unit hamanager-postgresql.service (bootstrap writes its drop-in from these settings), so restarting the watcher never stops it; with the process manager an empty start means the derived pg_ctl command.",
        ["PostgresOptions.Repmgrd"] = "How repmgrd is run: hamanager-repmgrd.service; with the process manager an empty start means repmgrd -f repmgr_config_file --daemonize=false.",

        ["HaManagerSettings.Pgbouncer"] = "pgbouncer on every node, pointing at the PostgreSQL master registered in KV.",
        ["PgbouncerOptions.ConfigFile"] = "pgbouncer.ini rendered from KV (local edits are overwritten).",
        ["PgbouncerOptions.AuthFile"] = "pgbouncer's auth_file with the application role's password (mode 0600).",
        ["PgbouncerOptions.ListenAddress"] = "Address pgbouncer listens on: * or an IP address.",
        ["PgbouncerOptions.ListenPort"] = "pgbouncer port; clients connect to VIP:port or 127.0.0.1:port.",
        ["PgbouncerOptions.SocketDir"] = "pgbouncer's unix socket directory.",
        ["PgbouncerOptions.PidFile"] = "pgbouncer's own pidfile setting.",
        ["PgbouncerOptions.LogFile"] = "pgbouncer's log.",
        ["PgbouncerOptions.Binary"] = "pgbouncer executable.",
        ["PgbouncerOptions.PoolMode"] = "transaction (default: a switchover pauses clients; no session state between transactions) or session (session state kept; switchover cannot pause and is refused).",
        ["PgbouncerOptions.QueryWaitTimeoutSeconds"] = "How long a client waits for a server connection (pgbouncer's 120 s default would hide a failover).",
        ["PgbouncerOptions.Service"] = "How pgbouncer is run; an empty start means pgbouncer CONFIG_FILE as os_user.",

        ["HaManagerSettings.Syncthing"] = "syncthing, which keeps the cluster's replicated folders (cluster config replicated_folders) identical on every node.",
        ["SyncthingOptions.Enabled"] = "false: this node neither runs nor configures syncthing (and hamanager sync wait refuses to run).",
        ["SyncthingOptions.Binary"] = "syncthing executable.",
        ["SyncthingOptions.Home"] = "syncthing's --home: its keys, config.xml (generated by bootstrap) and database.",
        ["SyncthingOptions.ApiAddress"] = "syncthing's REST API/GUI; must be a loopback IP:PORT (the API key is the only other protection).",
        ["SyncthingOptions.ApiKeyFile"] = "The REST API key, generated by bootstrap (mode 0600); the watcher and hamanager sync wait read it.",
        ["SyncthingOptions.ListenPort"] = "syncthing's sync protocol port on node.address; registered in KV as tcp://ADDRESS:PORT for the peers.",
        ["SyncthingOptions.FolderRoot"] = "Prefix for every replicated folder path from the cluster config: / in production (the lab uses each node's root).",
        ["SyncthingOptions.AllowedRoots"] = "The only directories a replicated folder from the cluster config may be or lie below (cluster paths, before folder_root); any other folder is refused on this node and named in hamanager status. Never a system directory (/, /etc, /root, /usr, /var/lib/postgresql, ...) nor one overlapping this node's state, syncthing home, PostgreSQL or Consul data. [] replicates nothing.",
        ["SyncthingOptions.StartTimeoutSeconds"] = "How long bootstrap waits for syncthing's REST API after starting it.",
        ["SyncthingOptions.Service"] = "How syncthing is run; an empty start means syncthing serve --home=HOME --no-browser --no-restart --no-upgrade.",

        ["HaManagerSettings.Paths"] = "Local files and directories.",
        ["PathsOptions.StateDir"] = "HaManager's own state (the bootstrap marker bootstrap.json).",
        ["PathsOptions.SpoolDir"] = "Transitions the notify hooks recorded while Consul was unreachable; hamanager watch replays them.",
        ["PathsOptions.TemplatesDir"] = "Template overrides: a file NAME.scriban here (Scriban syntax, strict) replaces the built-in template NAME. Empty as packaged; the built-in templates are in /usr/share/hamanager/templates to copy from.",
        ["PathsOptions.HamanagerBinary"] = "The hamanager executable that keepalived calls back into (notify hook).",

        ["HaManagerSettings.Watch"] = "The watcher daemon (hamanager watch, hamanager-watch.service).",
        ["WatchOptions.DebounceMilliseconds"] = "Quiet period after a KV change before rendering.",
        ["WatchOptions.WaitSeconds"] = "Consul blocking-query wait; short, so a dead Raft leader cannot stall a watcher for long.",
        ["WatchOptions.SpoolReplayIntervalSeconds"] = "How often spooled transitions are replayed into Consul.",
        ["WatchOptions.CommandTimeoutSeconds"] = "Time limit of every external command (systemctl, keepalived -t, ...).",

        ["HaManagerSettings.Failover"] = "HaManager's failure detector: every standby probes the primary; when it has been silent long enough and a majority of the nodes agree, the most advanced standby promotes itself.",
        ["FailoverOptions.Enabled"] = "false: nothing is promoted automatically; a failed primary waits for an operator.",
        ["FailoverOptions.ProbeIntervalMilliseconds"] = "How often each standby probes the primary (a bounded PostgreSQL SSLRequest).",
        ["FailoverOptions.ProbeTimeoutMilliseconds"] = "How long one probe may take before it counts as unanswered.",
        ["FailoverOptions.FailoverAfterMilliseconds"] = "How long the primary must stay silent before a standby acts; keep it above what a short link flap costs (a 1 s flap silences the primary for about 2.2 s).",
        ["FailoverOptions.PeerAgreeAfterMilliseconds"] = "How long the primary must have been silent to another node for that node to agree that it is gone.",
        ["FailoverOptions.PeerTimeoutMilliseconds"] = "How long a node waits for another node's answer about the primary.",

        ["HaManagerSettings.History"] = "How much transition history Consul KV keeps (hamanager history, status). Only the watcher on the Consul leader's node prunes; the newest 50 transitions are never deleted.",
        ["HistoryOptions.MaxAgeDays"] = "Transitions older than this many days are deleted.",
        ["HistoryOptions.MaxEntries"] = "At most this many transitions are kept (the oldest go first); at least 50.",

        ["HaManagerSettings.Api"] = "The read-only HTTP endpoint of hamanager watch; the other nodes' failure detectors ask it what this node sees (open the port between the nodes).",
        ["ApiOptions.Enabled"] = "false: no endpoint (then this node cannot vote in a failover).",
        ["ApiOptions.ListenAddress"] = "Address to listen on; empty means node.address. It also listens on 127.0.0.1.",
        ["ApiOptions.Port"] = "TCP port, the same on every node.",

        ["HaManagerSettings.Logging"] = "hamanager's own log, on standard error (the journal under systemd, where each line carries its priority for journalctl -p).",
        ["LoggingOptions.Format"] = "plain: one readable line per event; json: one JSON object per line (Serilog's compact format: @t, @l, @m, @x and the event's properties) for log shippers.",

        ["HaManagerSettings.ServiceManager"] = "How services are started and reloaded: systemd (production) or process (the network-namespace lab: start by command, signal by PID file).",
    };
}
