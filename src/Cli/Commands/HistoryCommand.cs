using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HaManager.Api.Status;
using HaManager.Cluster.History;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Commands;

/// <summary>
/// `hamanager history`: the recorded transitions (keepalived states, PostgreSQL promotions, fences, …), newest
/// last, filtered by node, service and time. Read-only: runs from a workstation too. Only the matching newest
/// entries are read, never the whole history.
/// </summary>
public static class HistoryCommand
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 10_000;

    public static Command Create(CliServices services)
    {
        var node = new Option<string?>("--node") { Description = "Only this node's transitions", HelpName = "NODE" };
        node.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !NodeName.TryParse(result.Tokens[^1].Value, out _, out var error)) result.AddError($"--node: {error}");
        });
        var service = new Option<string?>("--service") { Description = "Only this service's transitions: keepalived, postgres, …", HelpName = "SERVICE" };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only transitions at or after this time: an ISO 8601 time (2025-06-01, 2025-06-01T12:00:00Z) or a duration ago (30m, 2h, 7d)",
            HelpName = "TIME",
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0) return null;
                var text = result.Tokens[^1].Value;
                if (SinceTime.TryParse(text, services.Clock.GetUtcNow(), out var at)) return at;
                result.AddError($"--since: '{text}' is neither a time (2025-06-01T12:00:00Z) nor a duration ago (30m, 2h, 7d)");
                return null;
            },
        };
        var limit = OptionValues.Count("--limit", $"Show at most this many, the newest (default {DefaultLimit}, at most {MaxLimit})", 1, MaxLimit);
        var json = OptionValues.Flag("--json", "Print one JSON object: {\"transitions\": [...]} (oldest first, the shape of status --json's transitions)");
        var command = new Command("history",
            "Show recorded transitions (keepalived states, PostgreSQL promotions, fences, …), oldest first, newest last. " +
            "History older than history.max_age_days or beyond history.max_entries is pruned by the watcher on the Consul leader's node.")
        {
            node, service, since, limit, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnClusterAsync(parse, services, async (context, cluster) =>
        {
            var query = new TransitionQuery(parse.GetValue(limit) ?? DefaultLimit, parse.GetValue(node) is { } name ? NodeName.Parse(name) : null, parse.GetValue(service), parse.GetValue(since));
            var page = await new TransitionHistory(cluster.Kv, context.Keys).ReadAsync(query, cancellationToken);
            foreach (var invalid in page.Invalid) context.Error.WriteLine($"hamanager: warning: skipped an invalid transition: {invalid}");
            var shown = page.Transitions.Select(t => new TransitionStatus(t.At, t.Node.Value, t.Service, t.From, t.To, t.Details)).ToList();
            if (parse.GetValue(json)) context.Out.WriteLine(JsonSerializer.Serialize(new HistoryResult(shown), CliJson.Options));
            else WriteTable(shown, context.Out);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void WriteTable(IReadOnlyList<TransitionStatus> transitions, TextWriter output)
    {
        if (transitions.Count == 0)
        {
            output.WriteLine("No transitions recorded that match.");
            return;
        }

        foreach (var t in transitions)
            output.WriteLine($"{t.At.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}  {t.Node,-10} {t.Service,-10} {t.From} -> {t.To}{(t.Details is { } d ? $"  ({NodeName.Printable(d)})" : string.Empty)}");
    }
}
