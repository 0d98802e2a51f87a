using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Maintenance;

/// <summary>
/// Turns the cluster's maintenance window on and off in KV (`hamanager maintenance`). Both are idempotent and
/// written by compare-and-set on what was read, so two operators at once never silently undo each other.
/// </summary>
public sealed class MaintenanceSwitch(IKvStore kv, KvKeys keys, TimeProvider clock)
{
    private const int CasAttempts = 3;

    /// <param name="duration">Null: open until turned off.</param>
    public Task<MaintenanceChange> TurnOnAsync(string by, string? reason, TimeSpan? duration, CancellationToken cancellationToken) =>
        ChangeAsync(current =>
        {
            var now = clock.GetUtcNow();
            var open = current is not null && current.IsActiveAt(now) ? current : null;
            // Re-running `on` keeps when the window began; what it says now (reason, end) is the operator's latest word.
            return new MaintenanceRecord
            {
                By = by, Reason = reason ?? open?.Reason, Since = open?.Since ?? now,
                Until = duration is { } d ? now + d : open?.Until,
            };
        }, cancellationToken);

    public Task<MaintenanceChange> TurnOffAsync(CancellationToken cancellationToken) => ChangeAsync(_ => null, cancellationToken);

    private async Task<MaintenanceChange> ChangeAsync(Func<MaintenanceRecord?, MaintenanceRecord?> desired, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < CasAttempts; attempt++)
        {
            var entry = (await kv.GetAsync(keys.Maintenance, null, cancellationToken)).Value;
            // An unreadable record is replaced (on) or removed (off): the operator's command is the fix.
            var current = entry is not null && KvJson.TryParse<MaintenanceRecord>(entry, out var parsed, out _) ? parsed : null;
            var next = desired(current);
            if (next is null)
            {
                if (entry is null) return new MaintenanceChange(null, current, Changed: false);
                if (await kv.DeleteAsync(keys.Maintenance, entry.ModifyIndex, cancellationToken)) return new MaintenanceChange(null, current, Changed: true);
                continue;
            }

            var problems = next.Validate().ToList();
            if (problems.Count > 0) throw new FormatException(string.Join("; ", problems));
            var value = KvJson.Serialize(next);
            if (entry is not null && current is not null && value.AsSpan().SequenceEqual(entry.Value)) return new MaintenanceChange(next, current, Changed: false);
            if (await kv.PutAsync(keys.Maintenance, value, entry?.ModifyIndex ?? 0, cancellationToken)) return new MaintenanceChange(next, current, Changed: true);
        }

        throw new KvContentionException(keys.Maintenance, CasAttempts);
    }
}

/// <param name="Record">The window now in KV; null when there is none.</param>
/// <param name="Previous">The window before the command (possibly an expired one); null when there was none.</param>
/// <param name="Changed">False when KV already said what the command asked for.</param>
public sealed record MaintenanceChange(MaintenanceRecord? Record, MaintenanceRecord? Previous, bool Changed);
