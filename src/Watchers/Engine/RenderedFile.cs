namespace HaManager.Watchers.Engine;

/// <param name="ValidateCommand">Checks a candidate file before it replaces the current one; "{file}" stands for its path.</param>
public sealed record RenderedFile(string Path, string Content, UnixFileMode Mode, IReadOnlyList<string>? ValidateCommand = null)
{
    public const string FilePlaceholder = "{file}";
}
