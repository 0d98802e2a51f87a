using System.Text;
using HaManager.Watchers.Processes;

namespace HaManager.Watchers.Files;

/// <summary>
/// Every file HaManager writes goes through here: temp file in the same directory, validate it,
/// fsync, rename over the target, fsync the directory. A reader sees the old file or the new one,
/// never a partial one, and a crash leaves at most a stray temp file. The temp file is created exclusively
/// (O_EXCL: a planted name fails the write instead of being followed) and its mode and owner are set on the
/// open handle, so writing into a directory a service user can write never changes a file elsewhere.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Validates a candidate file at the given temp path; returns null when it is good, else the reason.</summary>
    public delegate Task<string?> Validator(string candidatePath, CancellationToken cancellationToken);

    public static Task<FileWriteResult> WriteAsync(string path, string content, UnixFileMode mode = DefaultMode,
        Validator? validate = null, CancellationToken cancellationToken = default, string? owner = null) =>
        WriteAsync(path, Encoding.UTF8.GetBytes(content), mode, validate, cancellationToken, owner);

    /// <summary>Writes <paramref name="content"/> unless the file already holds exactly these bytes and mode.</summary>
    /// <param name="owner">A local user to own the file (e.g. postgres for files PostgreSQL reads); null keeps the writer's.</param>
    public static async Task<FileWriteResult> WriteAsync(string path, byte[] content, UnixFileMode mode = DefaultMode,
        Validator? validate = null, CancellationToken cancellationToken = default, string? owner = null)
    {
        path = Path.GetFullPath(path);
        if (IsCurrent(path, content, mode, owner)) return new FileWriteResult(path, FileWriteOutcome.Unchanged);

        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode };
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);

                // On the open handle, before the rename: by path, a name swapped for a symlink in a directory a
                // less privileged user can write would make root change the link's target. Also undoes the umask.
                Posix.SetModeAndOwner(stream.SafeFileHandle, mode, owner);
                stream.Flush(flushToDisk: true);
            }

            if (validate is not null && await validate(temp, cancellationToken) is { } reason)
            {
                return new FileWriteResult(path, FileWriteOutcome.Rejected, reason);
            }

            File.Move(temp, path, overwrite: true);
            Posix.FsyncDirectory(directory);
            return new FileWriteResult(path, FileWriteOutcome.Written);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static bool IsCurrent(string path, byte[] content, UnixFileMode mode, string? owner)
    {
        try
        {
            // lstat: a symbolic link at the path is never "current" — the rename replaces the link, not its target.
            var status = Posix.Lstat(path);
            if (!status.IsRegularFile || status.Size != content.Length || status.Mode != mode) return false;
            if (owner is not null && status.Uid != Posix.LookupUser(owner).Uid) return false;
            return File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
