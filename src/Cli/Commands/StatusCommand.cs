using System.CommandLine;
using System.Text.Json;
using HaManager.Api.Status;
using HaManager.Cli.Status;
using HaManager.Cluster.Model;
using HaManager.Watchers.Syncthing;

namespace HaManager.Cli.Commands;

public static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var kvOnly = new Option<bool>("--kv-only") { Description = "Report what KV says only; skip asking Consul members, each PostgreSQL and the local syncthing (faster, less true)" };
        var command = new Command("status", $"Show the cluster: nodes, VIP holder, keepalived states and priorities, PostgreSQL roles, pgbouncer targets, syncthing devices (connections and folder completion as this node sees them), recent transitions. Exits {ExitCodes.Degraded} when the cluster is degraded, {ExitCodes.ConsulUnavailable} when Consul is unreachable.")
        {
            json, kvOnly,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            using var context = CliContext.Create(parse, daemon: false);
            using var consul = context.CreateConsulClient();
            var live = !parse.GetValue(kvOnly);
            var probe = live ? new LiveClusterProbe(consul) : null;
            using var syncthingApi = live && context.Settings.Syncthing.Enabled ? SyncthingApi.FromSettings(context.Settings, TimeSpan.FromSeconds(3)) : null;
            var syncthing = syncthingApi is null ? ((NodeName, ISyncthingApi)?)null : (NodeName.Parse(context.Settings.Node.Name), syncthingApi);
            var status = await new ClusterStatusReader(consul, context.Keys, probe, context.Settings.Postgres.Port, syncthing).ReadAsync(cancellationToken);
            if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(status, ClusterStatus.JsonOptions));
            else StatusTableWriter.Write(status, Console.Out);
            return status.Degraded ? ExitCodes.Degraded : ExitCodes.Ok;
        }));
        return command;
    }
}
