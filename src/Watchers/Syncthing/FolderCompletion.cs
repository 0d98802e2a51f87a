namespace HaManager.Watchers.Syncthing;

/// <summary>One device's progress on one folder, as the local syncthing computes it (<c>/rest/db/completion</c>).</summary>
public sealed record FolderCompletion(double Completion, long NeedBytes, long NeedItems, long NeedDeletes, long GlobalBytes)
{
    public bool IsComplete => Completion >= 100 && NeedBytes == 0 && NeedItems == 0 && NeedDeletes == 0;
}
