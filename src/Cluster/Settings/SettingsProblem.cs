namespace HaManager.Cluster.Settings;

/// <summary>One mistake in the settings, where the file has it; Line is 0 when the setting is not written in the file.</summary>
public sealed record SettingsProblem(string Message, int Line = 0, int Column = 0)
{
    public override string ToString() => Line > 0 ? $"line {Line}, column {Column}: {Message}" : Message;

    /// <summary>
    /// One message for all problems: "FILE line 3, column 12: node.address: …" for one, a list under "FILE has N problems:"
    /// for more, so an operator fixes everything in one pass.
    /// </summary>
    public static string Describe(string source, IReadOnlyList<SettingsProblem> problems) => problems.Count == 1
        ? $"{source}{(problems[0].Line > 0 ? " " : ": ")}{problems[0]}"
        : $"{source} has {problems.Count} problems:\n  " + string.Join("\n  ", problems);
}
