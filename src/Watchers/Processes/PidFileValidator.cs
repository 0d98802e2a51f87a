using System.Globalization;

namespace HaManager.Watchers.Processes;

/// <summary>
/// Decides whether the PID in a PID file is the service's process before root signals it. PID files can be stale
/// (the PID reused by an unrelated process after a crash) or planted (postmaster.pid lives in a directory the
/// postgres user owns). A PID is trusted only when /proc shows the expected executable — for a script, the
/// interpreter running that script — and the process did not start after the PID file was last written.
/// </summary>
public static class PidFileValidator
{
    /// <summary>
    /// Slack for comparing the process start (boot time + ticks, whole-second boot time) with the file's mtime.
    /// Small, so a PID reused soon after a crash is still caught; a clock stepped back by more than this between
    /// start and write would make a real service look untrusted — it is then left alone, never wrongly signalled.
    /// </summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(2);

    /// <param name="expectedExecutable">Canonical path of the service's program (see <see cref="Posix.ResolveCommand"/>); null when it could not be found.</param>
    public static PidFileCheck Check(string pidFile, string? expectedExecutable)
    {
        UnixFileStatus file;
        try
        {
            file = Posix.Lstat(pidFile);
        }
        catch (FileNotFoundException)
        {
            return new PidFileCheck(PidFileState.Missing, null, $"{pidFile} does not exist");
        }
        catch (IOException e)
        {
            return new PidFileCheck(PidFileState.Untrusted, null, $"{pidFile} cannot be examined: {e.Message}");
        }

        if (!file.IsRegularFile)
        {
            return new PidFileCheck(PidFileState.Untrusted, null, $"{pidFile} is not a regular file{(file.IsSymbolicLink ? " (a symbolic link)" : string.Empty)}");
        }

        if (ReadPid(pidFile) is not { } pid)
        {
            return new PidFileCheck(PidFileState.NotRunning, null, $"{pidFile} holds no PID");
        }

        if (Posix.IdentityOf(pid) is not { } process)
        {
            return new PidFileCheck(PidFileState.NotRunning, null, $"PID {pid} from {pidFile} is not running");
        }

        if (expectedExecutable is null)
        {
            return new PidFileCheck(PidFileState.Untrusted, null, $"PID {pid} from {pidFile} cannot be checked: the service's executable was not found");
        }

        if (!RunsExecutable(pid, expectedExecutable, out var actual))
        {
            return new PidFileCheck(PidFileState.Untrusted, null, $"PID {pid} from {pidFile} is {actual}, not {expectedExecutable}");
        }

        var started = Posix.StartTimeOf(process);
        if (started > file.ModifiedAt + ClockTolerance)
        {
            return new PidFileCheck(PidFileState.Untrusted, null,
                $"PID {pid} started at {started:O}, after {pidFile} was written at {file.ModifiedAt:O}: the PID was reused");
        }

        return new PidFileCheck(PidFileState.Trusted, process, $"PID {pid} from {pidFile} is {expectedExecutable}");
    }

    private static bool RunsExecutable(int pid, string expected, out string actual)
    {
        actual = Posix.ExecutableOf(pid) ?? "(unreadable)";
        if (actual == expected)
        {
            return true;
        }

        // A script's process runs its interpreter; the script is then one of the first arguments.
        if (!IsScript(expected))
        {
            return false;
        }

        var arguments = Posix.CommandLineOf(pid).Skip(1).Take(3).ToList();
        var matches = arguments.Any(a => a.StartsWith('/') && Posix.RealPath(a) == expected);
        if (!matches)
        {
            actual = $"{actual} running [{string.Join(' ', arguments)}]";
        }

        return matches;
    }

    private static bool IsScript(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return stream.ReadByte() == '#' && stream.ReadByte() == '!';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int? ReadPid(string pidFile)
    {
        try
        {
            // First line: PostgreSQL's postmaster.pid carries more lines after the PID.
            var first = File.ReadLines(pidFile).FirstOrDefault()?.Trim();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
