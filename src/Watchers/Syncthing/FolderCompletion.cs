namespace HaManager.Watchers.Syncthing;

/// <summary>One device's progress on one folder, as the local syncthing computes it (<c>/rest/db/completion</c>).</summary>
/// <param name="Sequence">The highest index sequence received from that device: 0 means it has not announced a single file.</param>
public sealed record FolderCompletion(double Completion, long NeedBytes, long NeedItems, long NeedDeletes, long GlobalBytes, long GlobalItems, long Sequence)
{
    /// <summary>
    /// syncthing 1.19 reports 100 % for a device that has never announced a file in the folder (it keeps
    /// no need counters for it yet), so a peer with an empty folder would look complete. A device that
    /// has the folder's files has announced them, so a zero sequence with files in the folder means "not yet".
    /// </summary>
    public bool HasAnnounced => GlobalItems == 0 || Sequence > 0;

    public bool IsComplete => HasAnnounced && Completion >= 100 && NeedBytes == 0 && NeedItems == 0 && NeedDeletes == 0;

    /// <summary>The percentage to show: 0 for a device that has not announced anything yet.</summary>
    public double Shown => HasAnnounced ? Completion : 0;
}
