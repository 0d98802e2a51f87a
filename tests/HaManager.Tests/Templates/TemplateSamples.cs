using System.Net;
using HaManager.Cluster.Model;
using HaManager.Templates.Views;

namespace HaManager.Tests.Templates;

/// <summary>Representative view models for every embedded template, shared by the golden-file tests.</summary>
public static class TemplateSamples
{
    public static PgHbaView PgHba(params string[] nodes) => new(
        nodes.Select((n, i) => (NodeName.Parse(n), IPAddress.Parse($"10.231.0.{11 + i}"))),
        SqlIdentifier.Parse("app"), SqlIdentifier.Parse("app_user"));

    public static PgbouncerIniView Pgbouncer() => new(
        NodeName.Parse("n2"), IPAddress.Parse("10.231.0.12"), 5432, SqlIdentifier.Parse("app"), "127.0.0.1", 6432,
        new PgbouncerPaths("/run/postgresql", "/etc/pgbouncer/userlist.txt", "/run/postgresql/pgbouncer.pid", "/var/log/postgresql/pgbouncer.log"),
        queryWaitTimeoutSeconds: 10, poolMode: "transaction");

    public static ReplicationConfView Replication(bool quorum, params string[] standbys) =>
        new(quorum, standbys.Select(NodeName.Parse));

    public static UserlistView Userlist() => new(
        SqlIdentifier.Parse("app_user"),
        new PostgresSecrets { RepmgrPassword = new string('r', 32), AppPassword = "abcDEF0123456789-_abcdefgh" });

    public static RepmgrConfView Repmgr() => new(
        NodeName.Parse("n1"), 1, IPAddress.Parse("10.231.0.11"), 5432,
        new RepmgrPaths("/var/lib/postgresql/15/main", "/usr/lib/postgresql/15/bin", "/var/lib/postgresql/.pgpass",
            "/var/log/postgresql/repmgrd.log", "/run/postgresql/repmgrd.pid"),
        new RepmgrCommands("/usr/bin/repmgr standby promote", "/usr/bin/repmgr standby follow --upstream-node-id=%n",
            "/usr/bin/pg_ctlcluster 15 main start", "/usr/bin/pg_ctlcluster 15 main stop", "/usr/bin/pg_ctlcluster 15 main restart",
            "/usr/bin/pg_ctlcluster 15 main reload", "/usr/bin/hamanager notify repmgr --node-id %n --event %e"),
        new RepmgrTiming(), priority: 100);
}
