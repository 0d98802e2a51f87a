namespace HaManager.Watchers.Files;

/// <param name="Reason">Why a rendered file was rejected (validator output), when it was.</param>
public sealed record FileWriteResult(string Path, FileWriteOutcome Outcome, string? Reason = null)
{
    public bool Changed => Outcome == FileWriteOutcome.Written;
}
