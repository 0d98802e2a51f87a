using System.Text.RegularExpressions;

namespace HaManager.Cluster.Model;

/// <summary>
/// A directory every manager keeps identical through syncthing, part of the cluster <c>config</c>.
/// The id names the syncthing folder (and `sync wait --folder`); the path is where it lives on each node.
/// </summary>
public sealed partial record ReplicatedFolder
{
    public required string Id { get; init; }
    public required string Path { get; init; }

    /// <summary>The seed's replicated state: uploaded blueprints and resources, and installed plugins.</summary>
    public static IReadOnlyList<ReplicatedFolder> Defaults { get; } =
    [
        new() { Id = "resources", Path = "/opt/manager/resources" },
        new() { Id = "plugins", Path = "/opt/mgmtworker/env/plugins" },
    ];

    public IEnumerable<string> Validate(string field)
    {
        if (Id is null || !IdPattern().IsMatch(Id))
            yield return $"{field}.id '{NodeName.Printable(Id ?? "")}' must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit";
        if (Path is null || !ProtectedPaths.IsClean(Path))
            yield return $"{field}.path '{NodeName.Printable(Path ?? "")}' must be a normalized absolute path (no '..', '.', '//', trailing '/', spaces, quotes, shell or control characters) below /";
        else if (ProtectedPaths.SystemOverlap(Path) is { } system)
            yield return $"{field}.path '{Path}' {system}: it is never replicated";
    }

    /// <summary>True when one folder lies inside the other (syncthing would replicate the inner files twice).</summary>
    public bool Overlaps(ReplicatedFolder other) =>
        Path == other.Path || Path.StartsWith(other.Path + "/", StringComparison.Ordinal) || other.Path.StartsWith(Path + "/", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
