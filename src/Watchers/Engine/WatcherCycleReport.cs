using HaManager.Watchers.Files;

namespace HaManager.Watchers.Engine;

/// <summary>What one render cycle did for one watcher, and the one sentence logged for it.</summary>
public sealed record WatcherCycleReport(string Watcher, WatchOutput Output, IReadOnlyList<FileWriteResult> Files, bool Reloaded, string Sentence)
{
    public bool Changed => Files.Any(f => f.Changed);
    public bool Rejected => Files.Any(f => f.Outcome == FileWriteOutcome.Rejected);

    /// <summary>The render itself threw (a bug or an unreadable template), as opposed to waiting for data.</summary>
    public bool Failed { get; init; }

    /// <summary>Something an operator must fix: invalid KV data, a rendered file its validator rejected, or a failed render.</summary>
    public bool IsError => Failed || Rejected || Output.Errors.Count > 0;
}
