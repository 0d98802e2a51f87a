using System.Globalization;
using System.Runtime.InteropServices;

namespace HaManager.Watchers.Processes;

/// <summary>What /proc says about a process: its executable, command line and start time.</summary>
public static partial class Posix
{
    private const int ScClockTicks = 2;
    private const string Deleted = " (deleted)";

    // The same numbers on x86_64 and arm64 (syscalls added after the tables were unified); called through syscall()
    // because older glibc versions have no wrappers.
    private const long SysPidfdSendSignal = 424;
    private const long SysPidfdOpen = 434;

    /// <summary>
    /// Signals exactly this process, never a successor that reused its PID: a pidfd pins the process, its
    /// identity is checked through it, and the signal goes to the pidfd. False when the process is gone.
    /// </summary>
    public static bool Signal(ProcessIdentity identity, int signal)
    {
        if (identity.Pid <= 1) throw new ArgumentOutOfRangeException(nameof(identity), identity.Pid, "refusing to signal PID <= 1");
        var fd = (int)syscall(SysPidfdOpen, identity.Pid, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ESrch ? false : throw new IOException($"pidfd_open({identity.Pid}) failed with errno {errno}");
        }

        try
        {
            // The pidfd now refers to whatever holds the PID; if that is still our process, it stays ours.
            if (!IsSameProcess(identity)) return false;
            if (syscall(SysPidfdSendSignal, fd, signal, IntPtr.Zero, 0) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            return errno == ESrch ? false : throw new IOException($"pidfd_send_signal({identity.Pid}, {signal}) failed with errno {errno}");
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>The executable's path (/proc/PID/exe), or null when the process is gone or unreadable.</summary>
    public static string? ExecutableOf(int pid)
    {
        try
        {
            var target = new FileInfo($"/proc/{pid}/exe").LinkTarget;

            // A binary replaced by a package upgrade is still the same program.
            return target is not null && target.EndsWith(Deleted, StringComparison.Ordinal) ? target[..^Deleted.Length] : target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>argv of the process (/proc/PID/cmdline); empty when it is gone, a zombie or a kernel thread.</summary>
    public static IReadOnlyList<string> CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The identity of a live process, or null when there is none with this PID.</summary>
    public static ProcessIdentity? IdentityOf(int pid)
    {
        if (pid <= 1 || !IsAlive(pid)) return null;
        try
        {
            // Field 22 (starttime); the command name in field 2 may contain spaces and ')', so count after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? new ProcessIdentity(pid, ticks)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True while the process with this identity lives: a reused PID has another start time.</summary>
    public static bool IsSameProcess(ProcessIdentity identity) => IdentityOf(identity.Pid) == identity;

    /// <summary>
    /// When the process started, on the wall clock: boot time (/proc/stat btime, whole seconds) plus its start
    /// ticks. May be up to a second early, and off by any clock step since boot.
    /// </summary>
    public static DateTimeOffset StartTimeOf(ProcessIdentity identity)
    {
        var btime = File.ReadLines("/proc/stat").First(l => l.StartsWith("btime ", StringComparison.Ordinal))[6..].Trim();
        var boot = DateTimeOffset.FromUnixTimeSeconds(long.Parse(btime, NumberStyles.None, CultureInfo.InvariantCulture));
        var hertz = sysconf(ScClockTicks);
        return boot + TimeSpan.FromSeconds((double)identity.StartTicks / (hertz > 0 ? hertz : 100));
    }

    /// <summary>The canonical path (all symbolic links resolved, like /proc/PID/exe shows it), or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    /// <summary>
    /// Where a command's first word runs from, as execvp would find it: a path with '/' as it is, a bare name
    /// through PATH; then canonical. Null when it is not found.
    /// </summary>
    public static string? ResolveCommand(string command, string? searchPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        if (command.Contains('/', StringComparison.Ordinal)) return RealPath(Path.GetFullPath(command));
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .Where(File.Exists)
            .Select(RealPath)
            .FirstOrDefault(found => found is not null);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long sysconf(int name);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, int pid, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, int pidfd, int signal, IntPtr info, uint flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
