using System.CommandLine;
using System.Text.Json;
using HaManager.Api.Status;
using HaManager.Cli.Status;
using HaManager.Cluster.Model;
using HaManager.Watchers.Syncthing;

namespace HaManager.Cli.Commands;

/// <summary>`hamanager status`: read-only, so it runs on any machine that reaches Consul, a cluster node or not.</summary>
public static class StatusCommand
{
    public static Command Create(CliServices services)
    {
        var json = OptionValues.Flag("--json", "Print one JSON object instead of the table (the shape is in docs/operations.md)");
        var kvOnly = OptionValues.Flag("--kv-only", "Report what KV says only; skip asking Consul members, each PostgreSQL and the local syncthing (faster, less true)");
        var command = new Command("status",
            "Show the cluster: nodes, VIP holder, keepalived states and priorities, PostgreSQL roles, pgbouncer targets, syncthing devices " +
            "(connections and folder completion as this node sees them), recent transitions. Needs no node settings: from a workstation, " +
            $"--consul or CONSUL_HTTP_ADDR is enough. Exits {ExitCodes.Degraded} when the cluster is degraded, {ExitCodes.ConsulUnavailable} when Consul is unreachable.")
        {
            json, kvOnly,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async () =>
        {
            using var context = CliContext.CreateClient(parse, services);
            using var cluster = context.ConnectConsul();
            if (cluster.Probe is LiveClusterProbe probe) probe.Logger = context.Logger;
            var live = !parse.GetValue(kvOnly);
            var notes = new List<string>();
            (NodeName, ISyncthingApi)? syncthing = null;
            if (live && context.OnNode && context.Settings.Syncthing.Enabled)
                syncthing = (NodeName.Parse(context.Settings.Node.Name), services.Syncthing(context.Settings, TimeSpan.FromSeconds(3)));
            else if (live && !context.OnNode)
                notes.Add("syncthing connections and folder completion are not shown: this machine is not a cluster node (no node.address in its settings), so there is no local syncthing to ask; run status on a node for them");
            using var syncthingApi = syncthing?.Item2 as IDisposable;

            // Which folders this node refuses depends on its settings and filesystem: judged only on a node that runs syncthing.
            var folderGuard = context.OnNode && context.Settings.Syncthing.Enabled ? ReplicatedFolderGuard.FromSettings(context.Settings) : null;
            var status = await new ClusterStatusReader(cluster.Kv, context.Keys, live ? cluster.Probe : null, context.Settings.Postgres.Port, syncthing,
                    clock: services.Clock, folderGuard: folderGuard)
                .ReadAsync(cancellationToken);
            status = status with { Notes = [.. status.Notes, .. notes] };
            if (parse.GetValue(json)) context.Out.WriteLine(JsonSerializer.Serialize(status, ClusterStatus.JsonOptions));
            else StatusTableWriter.Write(status, context.Out);
            return status.Degraded ? ExitCodes.Degraded : ExitCodes.Ok;
        }));
        return command;
    }
}
