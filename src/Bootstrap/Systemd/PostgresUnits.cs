using HaManager.Watchers.Postgres;

namespace HaManager.Bootstrap.Systemd;

/// <summary>The drop-ins for hamanager-postgresql.service and hamanager-repmgrd.service, from the local PostgreSQL settings.</summary>
public static class PostgresUnits
{
    public static IReadOnlyList<UnitDropIn> DropIns(PostgresLocal local) =>
    [
        new(local.PostgresService.Unit,
        [
            ("PIDFile", null, Path.Combine(local.DataDir, "postmaster.pid")),
            ("ExecStart", local.PgCtl("start"), null),
            ("ExecStop", local.PgCtl("-m", "fast", "stop"), null),
            ("ExecReload", local.PgCtl("reload"), null),
        ]),
        new(local.RepmgrdService.Unit,
        [
            ("ExecStart", local.RepmgrdService.Start, null),
        ]),
    ];
}
