using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Processes;

namespace HaManager.Watchers.Syncthing;

/// <summary>A replicated folder from the cluster config that this node will not let syncthing replicate, and why.</summary>
/// <param name="LocalPath">Where it would have lived when only the filesystem check refused it (a symbolic link leads out of its root); null when its path itself is refused.</param>
public sealed class ReplicatedFolderRefusedException(ReplicatedFolder folder, string reason, string? localPath = null)
    : Exception($"replicated folder '{folder.Id}' (path '{NodeName.Printable(folder.Path)}') is refused on this node: {reason}")
{
    public ReplicatedFolder Folder { get; } = folder;
    public string Reason { get; } = reason;
    public string? LocalPath { get; } = localPath;
}

/// <summary>
/// What KV may ask syncthing (which runs as root) to replicate on this node: only folders at or below
/// one of <c>syncthing.allowed_roots</c>, never a system directory, and — checked on the real filesystem
/// under <c>syncthing.folder_root</c> — with no symbolic link from the root down that leads out of the
/// root. The cluster config's own validation already refuses relative paths, '..' and control characters;
/// they are checked again here so nothing relies on the caller.
/// </summary>
public sealed class ReplicatedFolderGuard
{
    private readonly string _folderRoot;

    /// <param name="folderRoot">syncthing.folder_root: "/" in production, the node's root directory in the lab.</param>
    /// <param name="allowedRoots">syncthing.allowed_roots, as validated by the settings (clean, no system directory).</param>
    public ReplicatedFolderGuard(string folderRoot, IReadOnlyList<string> allowedRoots)
    {
        _folderRoot = folderRoot.TrimEnd('/');
        AllowedRoots = allowedRoots;
    }

    public static ReplicatedFolderGuard FromSettings(HaManagerSettings settings) =>
        new(settings.Syncthing.FolderRoot, settings.Syncthing.AllowedRoots);

    public IReadOnlyList<string> AllowedRoots { get; }

    /// <summary>Where the folder lives on this node, after every check; throws <see cref="ReplicatedFolderRefusedException"/> when it is refused.</summary>
    public string Place(ReplicatedFolder folder)
    {
        var root = RefuseByPath(folder, out var reason);
        if (root is null) throw new ReplicatedFolderRefusedException(folder, reason!);
        var local = _folderRoot + folder.Path;
        if (EscapesRoot(_folderRoot + root, local) is { } escape) throw new ReplicatedFolderRefusedException(folder, escape, local);
        return local;
    }

    /// <summary>The path rules alone (no filesystem): why the folder is refused, or null when it is acceptable.</summary>
    public string? RefusalByPath(ReplicatedFolder folder) => RefuseByPath(folder, out var reason) is null ? reason : null;

    /// <summary>Every rule, filesystem included: why the folder is refused on this node, or null when it is acceptable.</summary>
    public string? Refusal(ReplicatedFolder folder)
    {
        try
        {
            Place(folder);
            return null;
        }
        catch (ReplicatedFolderRefusedException e)
        {
            return e.Reason;
        }
    }

    /// <returns>The allowed root the folder lies at or below; null with <paramref name="reason"/> set when the path is refused.</returns>
    private string? RefuseByPath(ReplicatedFolder folder, out string? reason)
    {
        reason = null;
        var path = folder.Path;
        if (!ProtectedPaths.IsClean(path))
        {
            reason = "it is not a normalized absolute path (relative, '..', '.', '//', a trailing '/', spaces, quotes, shell or control characters)";
            return null;
        }

        if (ProtectedPaths.SystemOverlap(path) is { } system)
        {
            reason = $"it {system}, which is never replicated";
            return null;
        }

        var root = AllowedRoots.Where(r => ProtectedPaths.IsClean(r) && ProtectedPaths.IsAtOrBelow(path, r)).MaxBy(r => r.Length);
        if (root is null)
            reason = AllowedRoots.Count == 0
                ? "syncthing.allowed_roots is empty in this node's settings, so no folder is replicated here"
                : $"it is not at or below one of syncthing.allowed_roots ({string.Join(", ", AllowedRoots)})";
        return root;
    }

    /// <summary>
    /// Follows the path on the real filesystem: the folder must resolve to the root's own location or below it.
    /// Links above the root are the administrator's layout and followed alike for both (e.g. /opt → /data/opt);
    /// a link at the root itself or anywhere below it must stay inside the root. Parts that do not exist yet
    /// cannot be links (syncthing, or the watcher, creates them as directories).
    /// </summary>
    /// <returns>Why the folder leaves its root, or null when it stays inside.</returns>
    private static string? EscapesRoot(string localRoot, string localFolder)
    {
        var rootParent = Path.GetDirectoryName(localRoot) ?? "/";
        var rootLocation = Path.Join(Resolve(rootParent), Path.GetFileName(localRoot));
        var resolved = Resolve(localFolder);
        if (ProtectedPaths.IsAtOrBelow(resolved, rootLocation)) return null;
        return $"on this node {localFolder} resolves to {resolved} through a symbolic link, outside its allowed root {localRoot}";
    }

    /// <summary>realpath of the longest existing prefix, with the rest appended as it is.</summary>
    private static string Resolve(string path)
    {
        var existing = path;
        var rest = new Stack<string>();
        while (existing.Length > 1 && Posix.RealPath(existing) is null && !IsDanglingLink(existing))
        {
            rest.Push(Path.GetFileName(existing));
            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        // A dangling link cannot be resolved, and syncthing would create its target wherever it points: treat it as leading nowhere safe.
        var resolved = Posix.RealPath(existing) ?? $"(dangling symbolic link {existing} → {ReadLink(existing)})";
        return rest.Aggregate(resolved, (current, part) => current == "/" ? "/" + part : current + "/" + part);
    }

    private static bool IsDanglingLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
