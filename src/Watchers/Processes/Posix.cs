using System.Runtime.InteropServices;

namespace HaManager.Watchers.Processes;

/// <summary>The few libc calls .NET does not expose: signals by PID, fsync of a directory, users, ownership and /proc.</summary>
public static partial class Posix
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigUsr1 = 10;
    public const int SigUsr2 = 12;
    public const int SigTerm = 15;
    private const int ORdOnly = 0;
    private const int OWrOnly = 1;
    private const int OCreat = 0x40;
    private const int OAppend = 0x400;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int OPath = 0x200000;
    private const int ESrch = 3;
    private const int ELoop = 40;

    // The generic (arm64) and x86_64 ABIs disagree on these two flags.
    private static readonly bool GenericAbi = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static readonly int ODirectory = GenericAbi ? 0x4000 : 0x10000;
    private static readonly int ONoFollow = GenericAbi ? 0x8000 : 0x20000;

    public static int SignalNumber(string name) => name switch
    {
        "HUP" => SigHup,
        "INT" => SigInt,
        "QUIT" => SigQuit,
        "KILL" => SigKill,
        "USR1" => SigUsr1,
        "USR2" => SigUsr2,
        "TERM" => SigTerm,
        _ => throw new ArgumentException($"unknown signal '{name}'", nameof(name)),
    };

    /// <summary>Sends a signal; false when no such process exists.</summary>
    public static bool Signal(int pid, int signal)
    {
        if (pid <= 1) throw new ArgumentOutOfRangeException(nameof(pid), pid, "refusing to signal PID <= 1");
        if (kill(pid, signal) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == ESrch ? false : throw new IOException($"kill({pid}, {signal}) failed with errno {errno}");
    }

    /// <summary>True when the PID names a live (non-zombie) process.</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 1) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X' or '\0');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void FsyncDirectory(string directory)
    {
        var fd = open(directory, ORdOnly | ODirectory | OCloExec, 0);
        if (fd < 0) throw new IOException($"cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = close(fd);
        }
    }

    public static (uint Uid, uint Gid) LookupUser(string user)
    {
        var entry = getpwnam(user);
        if (entry == IntPtr.Zero) throw new IOException($"no local user '{user}'");
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... } on LP64 Linux.
        var uid = (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
        var gid = (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size + 4);
        return (uid, gid);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getpwnam(string name);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
