namespace HaManager.Watchers.Processes;

public sealed record CommandResult(IReadOnlyList<string> Command, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public string CommandLine => string.Join(' ', Command);

    /// <summary>Output for an error message: stderr first (that is where tools explain), trimmed.</summary>
    public string OutputTail(int maxChars = 2000)
    {
        var text = (StandardError.Trim() + "\n" + StandardOutput.Trim()).Trim();
        return text.Length <= maxChars ? text : "…" + text[^maxChars..];
    }
}
