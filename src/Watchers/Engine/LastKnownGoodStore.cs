using System.Text.Json;
using System.Text.Json.Serialization;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Watchers.Files;
using Serilog;

namespace HaManager.Watchers.Engine;

/// <summary>
/// Per-key last-known-good values (YARP's LastKnownGoodConfig, one key at a time): an invalid value
/// affects only its own key. The watchers see, for each key, its current value when valid, else the
/// last valid value this node saw for it, else nothing. A key deleted in KV is dropped here too, so a
/// deletion is never undone. Kept in a 0600 state file, so a restarted watcher still has them.
/// </summary>
public sealed class LastKnownGoodStore
{
    private static readonly JsonSerializerOptions FileJson = new() { WriteIndented = false };
    private readonly string? _stateFile;
    private readonly KvRecordCatalog _catalog;
    private readonly ILogger _logger;
    private readonly Dictionary<string, StoredEntry> _good = new(StringComparer.Ordinal);

    /// <param name="stateFile">Where the values survive a restart; null keeps them in memory only.</param>
    public LastKnownGoodStore(KvRecordCatalog catalog, string? stateFile, ILogger logger)
    {
        _catalog = catalog;
        _stateFile = stateFile;
        _logger = logger;
        Load();
    }

    /// <summary>The valid entries plus last-known-good substitutes, and every key that is invalid now.</summary>
    public async Task<SanitizedEntries> SanitizeAsync(IReadOnlyDictionary<string, KvEntry> current, CancellationToken cancellationToken = default)
    {
        var entries = new Dictionary<string, KvEntry>(StringComparer.Ordinal);
        var invalid = new List<InvalidKey>();
        var changed = false;
        foreach (var (key, entry) in current)
        {
            if (_catalog.Validate(entry) is not { } error)
            {
                entries[key] = entry;
                if (!_good.TryGetValue(key, out var stored) || stored.ModifyIndex != entry.ModifyIndex || !stored.Value.AsSpan().SequenceEqual(entry.Value))
                {
                    _good[key] = new StoredEntry(entry.ModifyIndex, entry.Value);
                    changed = true;
                }

                continue;
            }

            if (_good.TryGetValue(key, out var lastGood))
            {
                entries[key] = entry with { Value = lastGood.Value, ModifyIndex = lastGood.ModifyIndex };
                invalid.Add(new InvalidKey(key, error.Reason, lastGood.ModifyIndex));
            }
            else
            {
                invalid.Add(new InvalidKey(key, error.Reason, null));
            }
        }

        foreach (var gone in _good.Keys.Where(k => !current.ContainsKey(k)).ToList())
        {
            _good.Remove(gone);
            changed = true;
        }

        if (changed) await SaveAsync(cancellationToken);
        return new SanitizedEntries(entries, invalid);
    }

    private void Load()
    {
        if (_stateFile is null || !File.Exists(_stateFile)) return;
        try
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, StoredEntry>>(File.ReadAllBytes(_stateFile), FileJson) ?? [];
            foreach (var (key, entry) in stored.Where(e => e.Value?.Value is not null)) _good[key] = entry;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // Losing the remembered values only matters while some key is invalid; the current valid values are re-read from KV.
            _logger.Warning("Ignored the last-known-good state file {Path}, it could not be read: {Reason}", _stateFile, e.Message);
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (_stateFile is null) return;
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(_good, FileJson);
            await AtomicFile.WriteAsync(_stateFile, bytes, AtomicFile.PrivateMode, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.Warning("Could not save the last-known-good values to {Path} (kept in memory): {Reason}", _stateFile, e.Message);
        }
    }

    private sealed record StoredEntry(
        [property: JsonPropertyName("modify_index")] ulong ModifyIndex,
        [property: JsonPropertyName("value")] byte[] Value);
}
