using HaManager.Cluster;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Watchers.Engine;
using Serilog;

namespace HaManager.Watchers.Syncthing;

/// <summary>
/// Keeps the local syncthing's devices and shared folders in step with KV through its REST config API:
/// a node that registers is added and every folder is shared with it, a node whose registration is
/// removed is dropped. Changes apply live (no restart). Invalid KV data changes nothing, and says which key.
/// A folder this node refuses (<see cref="ReplicatedFolderGuard"/>) or a device record without a registered
/// node is left out, logged once with its key, and everything else is still kept in step.
/// </summary>
public sealed class SyncthingReconciler(
    ISyncthingApi api,
    KvKeys keys,
    NodeName self,
    Func<ReplicatedFolder, string> localPath,
    ILogger logger) : IReconciler
{
    private string? _selfDeviceId;
    private string? _lastProblem;
    private HashSet<string> _refusals = new(StringComparer.Ordinal);

    public string Name => "syncthing";

    /// <summary>The config (folders), the device registrations, and the registered nodes (a device is used only for one of them).</summary>
    public IReadOnlyList<string> Prefixes { get; } = [keys.Config, keys.SyncthingDevicesPrefix, keys.NodesPrefix];

    /// <summary>The refused folders and unused device records of the latest run, one sentence each naming its key.</summary>
    public IReadOnlyCollection<string> Refusals => _refusals;

    public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
    {
        var errors = new List<KvValueError>();
        var desired = ReadDesired(snapshot, errors, out var notReady);
        if (desired is null)
        {
            Problem(errors.Count > 0
                ? $"kept syncthing's configuration as it is because of invalid KV data: {string.Join("; ", errors)}"
                : $"kept syncthing's configuration as it is, not enough data yet: {notReady}", errors.Count > 0);
            return null;
        }

        ReportRefusals(desired.Refusals(keys).ToHashSet(StringComparer.Ordinal));
        try
        {
            var sentence = await ApplyAsync(desired, cancellationToken);
            if (_lastProblem is not null) logger.Information("syncthing: configuration is in step with KV again");
            _lastProblem = null;
            return sentence;
        }
        catch (SyncthingApiException e)
        {
            Problem($"could not update syncthing, will retry: {e.Message}", warning: true);
            return null;
        }
    }

    /// <summary>What this node's syncthing should hold according to the snapshot (see <see cref="SyncthingDesiredState.Read"/>).</summary>
    public SyncthingDesiredState? ReadDesired(KvSnapshot snapshot, List<KvValueError> errors, out string? notReady) =>
        SyncthingDesiredState.Read(snapshot, self, localPath, errors, out notReady);

    /// <returns>What changed, or null when syncthing already matched KV.</returns>
    public async Task<string?> ApplyAsync(SyncthingDesiredState desired, CancellationToken cancellationToken)
    {
        _selfDeviceId ??= await api.MyDeviceIdAsync(cancellationToken);
        var config = await api.GetConfigAsync(cancellationToken);
        var changes = SyncthingConfigMerge.Apply(config, desired, _selfDeviceId,
            await api.DefaultDeviceAsync(cancellationToken), await api.DefaultFolderAsync(cancellationToken));
        if (changes.Count == 0) return null;

        // syncthing would create a missing folder root too, but as mode 0700; operators and upload handlers expect 0755.
        foreach (var folder in desired.Folders)
            Directory.CreateDirectory(folder.LocalPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await api.PutConfigAsync(config, cancellationToken);
        return string.Join("; ", changes);
    }

    /// <summary>Each refusal is logged once when it appears and once when it is gone.</summary>
    private void ReportRefusals(HashSet<string> current)
    {
        foreach (var refusal in current.Where(r => !_refusals.Contains(r))) logger.Warning("syncthing: {Sentence}", refusal);
        foreach (var gone in _refusals.Where(r => !current.Contains(r))) logger.Information("syncthing: no longer refused: {Sentence}", gone);
        _refusals = current;
    }

    /// <summary>A standing problem is logged once, then at debug level on every retry.</summary>
    private void Problem(string sentence, bool warning)
    {
        if (sentence == _lastProblem) logger.Debug("syncthing: {Sentence}", sentence);
        else if (warning) logger.Warning("syncthing: {Sentence}", sentence);
        else logger.Information("syncthing: {Sentence}", sentence);
        _lastProblem = sentence;
    }
}
