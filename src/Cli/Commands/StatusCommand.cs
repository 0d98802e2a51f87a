using System.CommandLine;
using System.Text.Json;
using HaManager.Cli.Status;

namespace HaManager.Cli.Commands;

public static class StatusCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var kvOnly = new Option<bool>("--kv-only") { Description = "Report what KV says only; skip asking Consul members and each PostgreSQL (faster, less true)" };
        var command = new Command("status", $"Show the cluster: nodes, VIP holder, keepalived states and priorities, recent transitions. Exits {ExitCodes.Degraded} when the cluster is degraded, {ExitCodes.ConsulUnavailable} when Consul is unreachable.")
        {
            json, kvOnly,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            using var context = CliContext.Create(parse, daemon: false);
            using var consul = context.CreateConsulClient();
            var probe = parse.GetValue(kvOnly) ? null : new LiveClusterProbe(consul);
            var status = await new ClusterStatusReader(consul, context.Keys, probe, context.Settings.Postgres.Port).ReadAsync(cancellationToken);
            if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(status, JsonOptions));
            else StatusTableWriter.Write(status, Console.Out);
            return status.Degraded ? ExitCodes.Degraded : ExitCodes.Ok;
        }));
        return command;
    }
}
