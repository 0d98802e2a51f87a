namespace HaManager.Watchers.Engine;

/// <param name="ValidateCommand">Checks a candidate file before it replaces the current one; "{file}" stands for its path.</param>
/// <param name="Owner">A local user who must own the file (PostgreSQL refuses files it cannot read), or null.</param>
public sealed record RenderedFile(string Path, string Content, UnixFileMode Mode, IReadOnlyList<string>? ValidateCommand = null, string? Owner = null)
{
    public const string FilePlaceholder = "{file}";
}
