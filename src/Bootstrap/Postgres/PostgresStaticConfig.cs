namespace HaManager.Bootstrap.Postgres;

/// <summary>
/// The replication settings every node shares. They live in the data directory (hamanager.conf,
/// included from postgresql.conf), so clones inherit them; nothing node-specific goes here.
/// </summary>
public static class PostgresStaticConfig
{
    public const string IncludeLine = "include_if_exists = 'hamanager.conf'";

    public const string Content = """
        # Written by hamanager bootstrap on the first node; copied to standbys by repmgr standby clone.
        listen_addresses = '*'
        wal_level = replica
        max_wal_senders = 10
        max_replication_slots = 10
        wal_keep_size = '512MB'
        hot_standby = on
        wal_log_hints = on
        shared_preload_libraries = 'repmgr'
        password_encryption = 'scram-sha-256'
        synchronous_commit = on
        # Rendered per node by hamanager watch from the standbys registered in KV.
        include_if_exists = 'hamanager-replication.conf'

        """;

    /// <summary>Maps the local root and postgres OS users to the postgres role, so hamanager (root) can administer over the socket.</summary>
    public const string IdentMap = """
        # MAPNAME   SYSTEM-USERNAME   PG-USERNAME
        hamanager   root              postgres
        hamanager   postgres          postgres

        """;
}
