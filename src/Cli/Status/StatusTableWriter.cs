using System.Globalization;
using HaManager.Api.Status;

namespace HaManager.Cli.Status;

/// <summary>The human-readable `hamanager status`: aligned plain text that reads well in a terminal and in a ticket.</summary>
public static class StatusTableWriter
{
    public static void Write(ClusterStatus status, TextWriter output)
    {
        output.WriteLine($"Virtual IP: {status.VirtualIp ?? "-"}    held by: {status.VipHolder ?? "nobody"}    PostgreSQL master: {status.PostgresMaster ?? "none"}");
        if (status.Maintenance is { } maintenance) WriteMaintenance(maintenance, output);
        output.WriteLine();
        var rows = new List<string[]> { new[] { "NODE", "ADDRESS", "ALIVE", "PRIORITY", "KEEPALIVED", "POSTGRES", "UPSTREAM", "LAG", "PGBOUNCER->", "SYNCTHING" } };
        rows.AddRange(status.Nodes.Select(n => new[]
        {
            n.Name, n.Address ?? "-", n.Alive switch { true => "yes", false => "NO", _ => "?" },
            n.Keepalived.Priority?.ToString(CultureInfo.InvariantCulture) ?? "-", n.Keepalived.State,
            n.Postgres.Role, n.Postgres.Upstream ?? "-", n.Postgres.LagBytes is { } lag ? $"{lag} B" : "-", n.Pgbouncer.Target ?? "-", Syncthing(n.Syncthing, n.Name == status.SyncthingSeenFrom),
        }));
        WriteTable(rows, output);
        output.WriteLine();
        output.WriteLine("Recent transitions (newest last):");
        if (status.Transitions.Count == 0) output.WriteLine("  none recorded");
        foreach (var t in status.Transitions.TakeLast(10))
        {
            output.WriteLine($"  {t.At.ToString("u", CultureInfo.InvariantCulture)}  {t.Node,-10} {t.Service,-10} {t.From} -> {t.To}");
        }

        output.WriteLine();
        output.WriteLine(status.Degraded ? "Cluster is DEGRADED:" : "Cluster is healthy.");
        foreach (var problem in status.Problems) output.WriteLine($"  - {problem}");
        if (status.Degraded && status.Maintenance is not null)
            output.WriteLine("  (maintenance is on: HaManager does not fail over, fence or move the VIP by itself until it ends)");
        if (status.Notes.Count == 0) return;
        output.WriteLine();
        output.WriteLine("Not checked:");
        foreach (var note in status.Notes) output.WriteLine($"  - {note}");
    }

    private static void WriteMaintenance(MaintenanceStatus maintenance, TextWriter output)
    {
        var until = maintenance.Until is { } end ? $"until {end.ToString("u", CultureInfo.InvariantCulture)}" : "until 'hamanager maintenance off'";
        output.WriteLine($"MAINTENANCE: automatic failover, fencing and VIP moves are paused since {maintenance.Since.ToString("u", CultureInfo.InvariantCulture)}, {until}");
        output.WriteLine($"  by {maintenance.By}{(maintenance.Reason is { } reason ? $": {reason}" : string.Empty)}");
    }

    /// <summary>"self 100%", "connected 100%", "NOT CONNECTED", "-": connection as the local node sees it, then the least complete folder.</summary>
    private static string Syncthing(SyncthingStatus s, bool self)
    {
        if (s.DeviceId is null) return "-";
        var state = self ? "self" : s.Connected switch { true => "connected", false => "NOT CONNECTED", _ => "registered" };
        var least = s.Folders.Values.Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(double.NaN).Min();
        return double.IsNaN(least) ? state : $"{state} {least.ToString("0.#", CultureInfo.InvariantCulture)}%";
    }

    private static void WriteTable(List<string[]> rows, TextWriter output)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
