using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HaManager.Watchers.Processes;

/// <summary>
/// Ownership and modes without following what a less privileged user controls. Root prepares files and
/// directories inside trees the postgres user can write; changing them by path would follow a symbolic link (or
/// a hard link) that user planted — to /etc/shadow, say — and hand the target over. So modes and owners are set on
/// an open handle, and a path is opened with O_NOFOLLOW; symbolic links and multiply-linked files are refused.
/// </summary>
public static partial class Posix
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxSize = 256;

    /// <summary>Sets mode, and owner when <paramref name="user"/> is given, on an open file: no path, nothing to follow.</summary>
    public static void SetModeAndOwner(SafeFileHandle handle, UnixFileMode mode, string? user)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (fchmod(handle, (uint)mode) != 0) throw new IOException($"fchmod failed (errno {Marshal.GetLastPInvokeError()})");
        if (user is null) return;
        var (uid, gid) = LookupUser(user);
        if (fchown(handle, uid, gid) != 0) throw new IOException($"fchown to {user} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>
    /// Gives an existing file or directory to a local user (and that user's primary group) without following a
    /// final symbolic link: the path is opened O_PATH|O_NOFOLLOW, checked, and changed through that descriptor.
    /// </summary>
    /// <exception cref="IOException">The path is a symbolic link, a regular file with more than one link, or cannot be changed.</exception>
    public static void ChownNoFollow(string path, string user)
    {
        var (uid, gid) = LookupUser(user);
        var fd = open(path, OPath | ONoFollow | OCloExec, 0);
        if (fd < 0) throw new IOException($"cannot open '{path}' to give it to {user} (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            RefuseLinks(path, Fstat(fd, path), "give it to " + user);
            if (fchownat(fd, string.Empty, uid, gid, AtEmptyPath) != 0)
                throw new IOException($"chown {user} '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Creates (or keeps) a log file a service running as <paramref name="user"/> appends to, owned by that user
    /// with <paramref name="mode"/>. Opened with O_NOFOLLOW and O_NONBLOCK (a planted FIFO must not hang bootstrap),
    /// and refused unless it is a regular file with a single link.
    /// </summary>
    public static void PrepareLogFile(string path, string user, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)
    {
        var (uid, gid) = LookupUser(user);
        var fd = open(path, OWrOnly | OCreat | OAppend | ONoFollow | ONonBlock | OCloExec, (uint)mode);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException(errno == ELoop
                ? $"refusing to prepare log file '{path}': it is a symbolic link (a less privileged user may have planted it); remove it"
                : $"cannot open log file '{path}' (errno {errno})");
        }

        try
        {
            RefuseLinks(path, Fstat(fd, path), "prepare it as a log file");
            if (fchownat(fd, string.Empty, uid, gid, AtEmptyPath) != 0 || fchmod(fd, (uint)mode) != 0)
                throw new IOException($"cannot give log file '{path}' to {user} (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>The file itself, never what a final symbolic link points to.</summary>
    public static UnixFileStatus Lstat(string path)
    {
        var buffer = new byte[StatxSize];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == 2 ? new FileNotFoundException($"'{path}' does not exist", path) : new IOException($"statx '{path}' failed (errno {errno})");
        }

        return ParseStatx(buffer);
    }

    private static UnixFileStatus Fstat(int fd, string path)
    {
        var buffer = new byte[StatxSize];
        if (statx(fd, string.Empty, AtEmptyPath | AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            throw new IOException($"statx of open '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
        return ParseStatx(buffer);
    }

    private static void RefuseLinks(string path, UnixFileStatus status, string what)
    {
        if (status.IsSymbolicLink)
            throw new IOException($"refusing to {what}: '{path}' is a symbolic link (a less privileged user may have planted it); remove it");

        // A hard link to another user's file is the same attack without a symlink (fs.protected_hardlinks may be off).
        if (status.IsRegularFile && status.LinkCount > 1)
            throw new IOException($"refusing to {what}: '{path}' has {status.LinkCount} hard links; remove it");
        if (!status.IsRegularFile && !status.IsDirectory)
            throw new IOException($"refusing to {what}: '{path}' is neither a regular file nor a directory");
    }

    /// <summary>struct statx has the same layout on every Linux architecture, unlike struct stat.</summary>
    private static UnixFileStatus ParseStatx(ReadOnlySpan<byte> b) => new(
        Uid: BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
        Gid: BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
        RawMode: BinaryPrimitives.ReadUInt16LittleEndian(b[28..]),
        LinkCount: BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
        Size: BinaryPrimitives.ReadInt64LittleEndian(b[40..]),
        ModifiedAt: DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64LittleEndian(b[112..]))
            .AddTicks(BinaryPrimitives.ReadUInt32LittleEndian(b[120..]) / 100));

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fchownat(int dirfd, string path, uint owner, uint group, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchown(SafeFileHandle fd, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchmod(SafeFileHandle fd, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchmod(int fd, uint mode);
}
