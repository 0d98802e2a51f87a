using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Engine;

namespace HaManager.Watchers.Syncthing;

/// <summary>The local syncthing as the settings define it: how it runs, where its API is, where each replicated folder lives.</summary>
public static class SyncthingLocal
{
    public static ServiceTarget Service(HaManagerSettings settings) =>
        new("syncthing", settings.Syncthing.Service.WithDefaults(
            // --no-restart: the service manager supervises it; --no-upgrade: it must never fetch anything.
            [settings.Syncthing.Binary, "serve", $"--home={settings.Syncthing.Home}", "--no-browser", "--no-restart", "--no-upgrade"],
            Path.Combine(settings.Paths.StateDir, "syncthing.service.pid"),
            Path.Combine(settings.Syncthing.Home, "syncthing.log"),
            string.Empty));

    public static Uri ApiBase(HaManagerSettings settings) => new($"http://{settings.Syncthing.ApiAddress}/");

    /// <summary>
    /// Where a folder from the cluster config lives on this node (folder_root is "/" outside the lab), after
    /// <see cref="ReplicatedFolderGuard"/>'s checks (allowed roots, system directories, symbolic links on the
    /// real filesystem). Throws <see cref="ReplicatedFolderRefusedException"/> for a folder this node refuses.
    /// </summary>
    public static string FolderPath(HaManagerSettings settings, ReplicatedFolder folder) =>
        ReplicatedFolderGuard.FromSettings(settings).Place(folder);

    public static SyncthingAddress ListenAddress(HaManagerSettings settings) =>
        new(IpAddresses.Parse(settings.Node.Address), settings.Syncthing.ListenPort);

    /// <summary>The API key bootstrap generated; a missing or unreadable file is an error that says what to do.</summary>
    public static string ReadApiKey(HaManagerSettings settings)
    {
        var path = settings.Syncthing.ApiKeyFile;
        try
        {
            var key = File.ReadAllText(path).Trim();
            if (!IsUsableApiKey(key)) throw new SyncthingApiException($"{path} does not hold a usable syncthing API key (32-128 letters, digits, '-' or '_'); re-run `hamanager bootstrap` to regenerate it");
            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SyncthingApiException($"cannot read the syncthing API key from {path}: {e.Message} (it is written by `hamanager bootstrap`; run as root)");
        }
    }

    public static bool IsUsableApiKey(string key) =>
        key.Length is >= 32 and <= 128 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string GenerateApiKey() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');
}
