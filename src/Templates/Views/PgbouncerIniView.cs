using System.Net;
using HaManager.Cluster.Model;

namespace HaManager.Templates.Views;

public sealed class PgbouncerIniView(
    NodeName masterNode, IPAddress masterHost, int masterPort, SqlIdentifier appDatabase, string listenAddress, int listenPort,
    PgbouncerPaths paths, int queryWaitTimeoutSeconds, string poolMode)
{
    public string MasterNode { get; } = masterNode.Value;
    public string MasterHost { get; } = masterHost.ToString();
    public int MasterPort { get; } = masterPort is > 0 and < 65536 ? masterPort : throw new ArgumentOutOfRangeException(nameof(masterPort));
    public string AppDatabase { get; } = appDatabase.Value;
    public string ListenAddress { get; } = listenAddress is "*" or "0.0.0.0" ? listenAddress : Cluster.Model.IpAddresses.Parse(listenAddress).ToString();
    public int ListenPort { get; } = listenPort;
    public string SocketDir { get; } = paths.SocketDir;
    public string AuthFile { get; } = paths.AuthFile;
    public string PidFile { get; } = paths.PidFile;
    public string LogFile { get; } = paths.LogFile;
    public int QueryWaitTimeoutSeconds { get; } = queryWaitTimeoutSeconds;
    public string PoolMode { get; } = poolMode is "transaction" or "session" ? poolMode : throw new ArgumentOutOfRangeException(nameof(poolMode));

    /// <summary>The admin console user (PAUSE/RESUME during a switchover): repmgr, already the cluster's superuser.</summary>
    public string AdminUser => UserlistView.AdminUserName;
}
