using System.CommandLine;
using System.Text.Json;
using HaManager.Cli.Switchover;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager switchover [--to NODE] [--yes] [--json]`: a planned move of the primary (docs/postgres.md,
/// "Switchover"). Only reads and writes Consul and talks to each node's pgbouncer, so it runs on any node or
/// on a workstation that reaches the cluster (and has psql).
/// </summary>
public static class SwitchoverCommand
{
    public static Command Create(CliServices services)
    {
        var to = new Option<string?>("--to") { Description = "The standby to promote (default: the most advanced healthy standby)", HelpName = "NODE" };
        var yes = OptionValues.Flag("--yes", "Do not ask for confirmation (required when standard input is not a terminal)");
        var json = OptionValues.Flag("--json", "Print the outcome as one JSON object (outcome, from, to, paused_seconds, total_seconds, steps) on stdout; the steps go to stderr");
        var command = new Command("switchover",
            "Move the PostgreSQL primary to a standby without losing a write: pause clients on every pgbouncer, stop the primary cleanly, " +
            "promote the standby once it has everything, retarget and resume every pgbouncer; the VIP and the other standbys follow. " +
            $"Exits {ExitCodes.Refused} when refused (nothing changed), {ExitCodes.RolledBack} when rolled back (the old primary serves again).")
        {
            to, yes, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.RunAsync(parse, async () =>
            {
                using var context = CliContext.CreateClient(parse, services);
                var output = new SwitchoverOutput(context.Out, context.Error, asJson);
                if (parse.GetValue(to) is { } name && !NodeName.TryParse(name, out _, out var nameError)) throw new FormatException($"--to: {nameError}");
                using var cluster = context.ConnectConsulForOperation();
                var switchover = new SwitchoverOperation(context, cluster, output.Step);
                await using var held = await switchover.LockAsync(cancellationToken);

                var (decision, _) = await switchover.DecideAsync(parse.GetValue(to), cancellationToken);
                if (decision.Refused) return output.Refused(decision, parse.GetValue(to));
                if (!parse.GetValue(yes) && !Confirmation.Ask(services, context.Error, $"switching over from {decision.From} to {decision.To}",
                        $"Switch the primary over from {decision.From} to {decision.To}? Clients pause for a few seconds."))
                    return output.Refused(SwitchoverDecision.Refuse("not confirmed"), decision.To);

                return output.Finished(await switchover.RunAsync(decision, cancellationToken));
            }, (code, message) => { if (asJson) parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { outcome = SwitchoverResult.FailedOutcome, error = message, exit_code = code }, CliJson.Options)); });
        });
        return command;
    }
}
