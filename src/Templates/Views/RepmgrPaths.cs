namespace HaManager.Templates.Views;

/// <summary>Local paths for repmgr.conf; each must be absolute and free of quotes and spaces.</summary>
public sealed record RepmgrPaths
{
    public RepmgrPaths(string dataDir, string binDir, string passFile, string logFile, string repmgrdPidFile)
    {
        DataDir = ConfValue.Path(dataDir);
        BinDir = ConfValue.Path(binDir);
        PassFile = ConfValue.Path(passFile);
        LogFile = ConfValue.Path(logFile);
        RepmgrdPidFile = ConfValue.Path(repmgrdPidFile);
    }

    public string DataDir { get; }
    public string BinDir { get; }
    public string PassFile { get; }
    public string LogFile { get; }
    public string RepmgrdPidFile { get; }
}
