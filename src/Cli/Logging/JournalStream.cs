namespace HaManager.Cli.Logging;

/// <summary>
/// Whether standard error is connected to systemd's journal. systemd sets JOURNAL_STREAM=DEVICE:INODE for a
/// service whose output goes there; a child may inherit the variable with its stderr redirected elsewhere, so
/// the inode is compared with the socket behind file descriptor 2, as systemd.exec(5) recommends.
/// </summary>
public static class JournalStream
{
    public const string Variable = "JOURNAL_STREAM";

    /// <param name="descriptorTarget">What /proc/self/fd/2 points at ("socket:[1234]"); null when it cannot be read.</param>
    public static bool IsStandardError(Func<string, string?> environment, Func<string?>? descriptorTarget = null)
    {
        if (environment(Variable) is not { Length: > 0 } stream) return false;
        var inode = stream.Split(':') is [_, var value] ? value : null;
        var target = (descriptorTarget ?? ReadStandardErrorTarget)();
        // Without /proc the variable alone has to do.
        if (target is null || inode is null) return true;
        return target == $"socket:[{inode}]";
    }

    private static string? ReadStandardErrorTarget()
    {
        try
        {
            return new FileInfo("/proc/self/fd/2").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
