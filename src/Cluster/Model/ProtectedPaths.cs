namespace HaManager.Cluster.Model;

/// <summary>
/// Path rules shared by the cluster config (replicated folders, from KV) and the settings
/// (<c>syncthing.allowed_roots</c>): what counts as a clean absolute path, and the system directories
/// that syncthing, running as root, must never replicate — whatever KV or a settings file says.
/// </summary>
public static class ProtectedPaths
{
    /// <summary>
    /// Never replicated, and never an allowed root: a folder may not be one of these, lie inside one,
    /// or contain one (so <c>/var</c> is refused for <c>/var/lib/postgresql</c>, and <c>/</c> for all).
    /// </summary>
    public static IReadOnlyList<string> SystemDirectories { get; } =
    [
        "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/lost+found", "/proc", "/root", "/run",
        "/sbin", "/sys", "/tmp", "/usr",
        "/var/backups", "/var/cache", "/var/lib/apt", "/var/lib/consul", "/var/lib/dpkg", "/var/lib/hamanager", "/var/lib/postgresql",
        "/var/lib/syncthing", "/var/lib/systemd", "/var/lock", "/var/log", "/var/mail", "/var/run", "/var/spool", "/var/tmp",
    ];

    /// <summary>
    /// A normalized absolute path below /: no '..', '.', '//' or trailing '/', no spaces, quotes, shell
    /// characters or control characters, at most 1024 characters.
    /// </summary>
    public static bool IsClean(string? path) =>
        path is { Length: > 1 and <= 1024 } && path[0] == '/' && !path.EndsWith('/')
        && path.Split('/').Skip(1).All(segment => segment.Length > 0 && segment is not ("." or ".."))
        && path.All(c => !char.IsControl(c) && !char.IsWhiteSpace(c) && c is not ('"' or '\'' or '\\' or '`' or '$' or '<' or '>' or '&' or '|' or ';' or '*' or '?'));

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies below it (both clean).</summary>
    public static bool IsAtOrBelow(string path, string directory) =>
        path == directory || directory == "/" || path.StartsWith(directory + "/", StringComparison.Ordinal);

    /// <summary>True when one of two clean paths lies inside the other, or they are the same.</summary>
    public static bool Overlap(string a, string b) => IsAtOrBelow(a, b) || IsAtOrBelow(b, a);

    /// <returns>Why a clean path touches a system directory (e.g. "lies inside the system directory /etc"), or null when it does not.</returns>
    public static string? SystemOverlap(string path)
    {
        foreach (var system in SystemDirectories)
        {
            if (path == system) return $"is the system directory {system}";
            if (IsAtOrBelow(path, system)) return $"lies inside the system directory {system}";
            if (IsAtOrBelow(system, path)) return $"contains the system directory {system}";
        }

        return null;
    }
}
