namespace HaManager.Watchers.Processes;

/// <summary>What statx reports about a file (not following a final symbolic link), in an architecture-independent form.</summary>
public readonly record struct UnixFileStatus(uint Uid, uint Gid, uint RawMode, uint LinkCount, long Size, DateTimeOffset ModifiedAt)
{
    private const uint TypeMask = 0xF000;

    public bool IsSymbolicLink => (RawMode & TypeMask) == 0xA000;

    public bool IsRegularFile => (RawMode & TypeMask) == 0x8000;

    public bool IsDirectory => (RawMode & TypeMask) == 0x4000;

    /// <summary>Permission bits, including setuid, setgid and sticky.</summary>
    public UnixFileMode Mode => (UnixFileMode)(RawMode & 0xFFF);
}
