using HaManager.Cluster.Settings;
using HaManager.Watchers.Processes;

namespace HaManager.Bootstrap.Postgres.Debian;

/// <summary>
/// The bootstrap step that frees postgres.port from postgresql-common's default cluster
/// (see <see cref="DefaultClusterDecision"/>). Does nothing where postgresql-common is not installed (RPM systems).
/// </summary>
public sealed class DefaultClusterStep(PostgresOptions postgres, ProcessRunner runner)
{
    private const string ListCommand = "/usr/bin/pg_lsclusters";
    private const string DropCommand = "/usr/bin/pg_dropcluster";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    /// <returns>What was found and done, as one sentence.</returns>
    /// <exception cref="BootstrapException">Another cluster holds the port and is not Debian's untouched default; nothing was changed.</exception>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ListCommand)) return "postgresql-common is not installed: no Debian clusters";
        var clusters = DebianCluster.ParseList((await RequireAsync([ListCommand, "-h"], cancellationToken)).StandardOutput);
        var decision = DefaultClusterDecision.Decide(
            clusters.Select(c => (c, ClusterContents.Read(c.DataDirectory))).ToList(), postgres.Port, postgres.DataDir);
        if (decision.Refusal is not null) throw new BootstrapException(decision.Refusal);
        if (decision.Drop.Count == 0)
            return clusters.Count == 0 ? "none" : $"none on port {postgres.Port} ({string.Join(", ", clusters.Select(c => $"{c} on {c.Port}"))})";

        foreach (var cluster in decision.Drop)
            await RequireAsync([DropCommand, "--stop", cluster.Version, cluster.Name], cancellationToken);
        return $"dropped {string.Join(", ", decision.Drop)}: untouched since initdb, and it held port {postgres.Port}";
    }

    private async Task<CommandResult> RequireAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(command, CommandTimeout, cancellationToken);
        if (!result.Succeeded) throw new BootstrapException($"{result.CommandLine} failed (exit {result.ExitCode}): {result.OutputTail(800)}");
        return result;
    }
}
