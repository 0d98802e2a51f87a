namespace HaManager.Templates.Views;

public sealed record PgbouncerPaths
{
    public PgbouncerPaths(string socketDir, string authFile, string pidFile, string logFile)
    {
        SocketDir = ConfValue.Path(socketDir);
        AuthFile = ConfValue.Path(authFile);
        PidFile = ConfValue.Path(pidFile);
        LogFile = ConfValue.Path(logFile);
    }

    public string SocketDir { get; }
    public string AuthFile { get; }
    public string PidFile { get; }
    public string LogFile { get; }
}
