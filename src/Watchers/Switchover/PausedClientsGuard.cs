using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Pgbouncer;
using Serilog;

namespace HaManager.Watchers.Switchover;

/// <summary>
/// `hamanager switchover` pauses client traffic on every pgbouncer and resumes it at the end. If the CLI dies in
/// between (killed, its machine lost, its network cut), nothing else would resume them and every client would
/// wait forever: once the switchover record is over (finished, rolled back, failed, or past its deadline), each
/// node's watcher resumes its own pgbouncer. RESUME of a database that is not paused changes nothing.
/// </summary>
public sealed class PausedClientsGuard(
    KvKeys keys, NodeName self, IPAddress pgbouncerAddress, int pgbouncerPort, ILogger logger,
    TimeProvider? clock = null) : IReconciler
{
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(5);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private DateTimeOffset? _resumedFor;

    public string Name => "paused clients guard";

    public IReadOnlyList<string> Prefixes { get; } = [keys.Switchover, keys.Config, keys.PostgresSecrets];

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        var record = snapshot.Parse<SwitchoverRecord>(keys.Switchover, []);
        if (record is null || record.IsActive(_clock.GetUtcNow()) || _resumedFor == record.Started) return null;
        var config = snapshot.Parse<ClusterConfig>(keys.Config, []);
        var secrets = snapshot.Parse<PostgresSecrets>(keys.PostgresSecrets, []);
        if (config is null || secrets is null) return null;

        await using var console = new PgbouncerConsole(self.Value, pgbouncerAddress, pgbouncerPort, HaManager.Templates.Views.UserlistView.AdminUserName, secrets.RepmgrPassword);
        bool wasPaused;
        try
        {
            wasPaused = await console.ResumeAsync(config.AppDatabase.Value, ResumeTimeout, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            // pgbouncer not running or not answering: tried again next cycle.
            logger.Debug("Could not make sure pgbouncer's clients are not left paused by the switchover from {From}: {Reason}", record.From.Value, e.Message);
            return null;
        }

        _resumedFor = record.Started;
        return wasPaused
            ? $"resumed the clients of pgbouncer's database {config.AppDatabase.Value}, left paused by the switchover from {record.From} to {record.To} (phase {record.Phase}): the switchover command did not finish"
            : null;
    }
}
