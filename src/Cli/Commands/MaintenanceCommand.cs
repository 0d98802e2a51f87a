using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HaManager.Cluster.Maintenance;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager maintenance on|off`: a cluster-wide pause of HaManager's automatic decisions around upgrades and
/// PostgreSQL restarts. Only KV is written, so it runs from a workstation as well as on a node.
/// </summary>
public static class MaintenanceCommand
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    private const string Paused = "automatic failover, fencing of a superseded or cut-off primary, and VIP moves driven by HaManager";

    public static Command Create(CliServices services)
    {
        var maintenance = new Command("maintenance",
            $"Pause HaManager's automatic decisions cluster-wide ({Paused}) while you upgrade or restart services. " +
            "Watchers keep rendering configuration and every service keeps running; status shows MAINTENANCE with who, why and until when.");
        maintenance.Subcommands.Add(CreateOn(services));
        maintenance.Subcommands.Add(CreateOff(services));
        return maintenance;
    }

    private static Command CreateOn(CliServices services)
    {
        var reason = new Option<string?>("--reason") { Description = "Why (shown by status and in every watcher's log), e.g. \"PostgreSQL minor upgrade\"", HelpName = "TEXT" };
        reason.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>();
            if (text is { Length: > MaintenanceRecord.MaxReasonLength } || (text?.Any(char.IsControl) ?? false))
                result.AddError($"--reason: at most {MaintenanceRecord.MaxReasonLength} printable characters on one line");
        });
        var duration = OptionValues.Duration("--for", "End the pause by itself after this long (default: only 'maintenance off' ends it)", MaxDuration);
        var json = OptionValues.Flag("--json", "Print one JSON object (maintenance, changed, by, reason, since, until)");
        var on = new Command("on",
            "Start maintenance: no node fails over, fences or moves the VIP until 'maintenance off' or until --for has passed. " +
            "Running it again keeps the start time and updates the reason and the end.") { reason, duration, json };
        on.SetAction((parse, cancellationToken) => CommandRunner.RunOnClusterAsync(parse, services, async (context, cluster) =>
        {
            var change = await new MaintenanceSwitch(cluster.Kv, context.Keys, services.Clock)
                .TurnOnAsync(services.OperatorName(), parse.GetValue(reason), parse.GetValue(duration), cancellationToken);
            if (parse.GetValue(json)) WriteJson(context, change);
            else WriteOn(context.Out, change, services.Clock.GetUtcNow());
            return ExitCodes.Ok;
        }));
        return on;
    }

    private static Command CreateOff(CliServices services)
    {
        var json = OptionValues.Flag("--json", "Print one JSON object (maintenance, changed, and the window that was ended)");
        var off = new Command("off", "End maintenance: automatic failover, fencing and VIP moves resume on every node within seconds. Nothing to do when it is not on.") { json };
        off.SetAction((parse, cancellationToken) => CommandRunner.RunOnClusterAsync(parse, services, async (context, cluster) =>
        {
            var change = await new MaintenanceSwitch(cluster.Kv, context.Keys, services.Clock).TurnOffAsync(cancellationToken);
            if (parse.GetValue(json)) WriteJson(context, change);
            else WriteOff(context.Out, change, services.Clock.GetUtcNow());
            return ExitCodes.Ok;
        }));
        return off;
    }

    private static void WriteOn(TextWriter output, MaintenanceChange change, DateTimeOffset now)
    {
        var record = change.Record!;
        var until = record.Until is { } end ? $"until {Time(end)} ({DurationText.Format(end - now)} from now)" : "until 'hamanager maintenance off'";
        output.WriteLine(change.Changed
            ? $"Maintenance is ON cluster-wide, since {Time(record.Since)}, {until}."
            : $"Maintenance was already ON, since {Time(record.Since)}, {until}; nothing changed.");
        output.WriteLine($"  by {record.By}{(record.Reason is { } reason ? $": {reason}" : string.Empty)}");
        output.WriteLine($"Paused on every node: {Paused}.");
        output.WriteLine("Still going: every watcher keeps rendering configuration; keepalived, PostgreSQL, pgbouncer and syncthing keep running.");
        output.WriteLine("Each node's watcher applies this within seconds; 'hamanager status' shows it; 'hamanager maintenance off' ends it.");
    }

    private static void WriteOff(TextWriter output, MaintenanceChange change, DateTimeOffset now)
    {
        if (!change.Changed)
        {
            output.WriteLine("Maintenance was not on; nothing changed.");
            return;
        }

        var previous = change.Previous;
        output.WriteLine(previous?.Until is { } until && until <= now
            ? $"Maintenance had already ended at {Time(until)}; removed its record."
            : $"Maintenance is OFF{(previous is null ? string.Empty : $" (it was on since {Time(previous.Since)}, by {previous.By})")}.");
        output.WriteLine("Automatic failover, fencing and VIP moves resume on every node within seconds.");
    }

    private static void WriteJson(CliContext context, MaintenanceChange change)
    {
        var shown = change.Record ?? change.Previous;
        context.Out.WriteLine(JsonSerializer.Serialize(new MaintenanceResult(change.Record is null ? "off" : "on", change.Changed,
            shown?.By, shown?.Reason, shown?.Since, shown?.Until), CliJson.Options));
    }

    private static string Time(DateTimeOffset at) => at.ToString("u", CultureInfo.InvariantCulture);
}
