using HaManager.Cluster.Model;

namespace HaManager.Api.Status;

/// <summary>
/// Who the read-only PostgreSQL probes (`status`, the node API's /cluster) log in as: the monitoring role
/// (<see cref="PostgresSecrets.MonitorUser"/>, pg_monitor, no superuser) into the postgres database; only a
/// secrets record written before that role existed falls back to the repmgr superuser (<see cref="IsFallback"/>).
/// </summary>
public sealed record PostgresProbeLogin(string User, string Password, string Database, bool IsFallback)
{
    public const string FallbackUser = "repmgr";

    public static PostgresProbeLogin For(PostgresSecrets secrets) =>
        secrets.MonitorPassword is { } monitor
            ? new PostgresProbeLogin(PostgresSecrets.MonitorUser, monitor, "postgres", IsFallback: false)
            : new PostgresProbeLogin(FallbackUser, secrets.RepmgrPassword, "repmgr", IsFallback: true);

    /// <summary>Never the password.</summary>
    public override string ToString() => $"{User}@{Database}{(IsFallback ? " (fallback: no monitor_password in the secrets record)" : string.Empty)}";
}
