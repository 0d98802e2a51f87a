namespace HaManager.Templates.Views;

/// <summary>
/// keepalived's track_file that makes the VIP follow the PostgreSQL primary: the file (a local path from
/// the settings) holds 1 on the primary, 0 elsewhere; the weight is the cluster's top priority, so the
/// primary's effective priority is above every other node's.
/// </summary>
public sealed record PrimaryTrackFile
{
    public PrimaryTrackFile(string path, int weight)
    {
        if (!System.IO.Path.IsPathRooted(path) || path.Any(c => char.IsControl(c) || c is '"' or '\'' or ' ' or '\\'))
            throw new ArgumentException($"'{path}' is not an absolute path without spaces, quotes or backslashes", nameof(path));
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 254);
        Path = path;
        Weight = weight;
    }

    public string Path { get; }
    public int Weight { get; }
}
