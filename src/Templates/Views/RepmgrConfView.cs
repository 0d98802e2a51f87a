using System.Globalization;
using System.Net;
using HaManager.Cluster.Model;

namespace HaManager.Templates.Views;

/// <summary>repmgr.conf for one node. KV contributes only the node id (an int); the rest is local settings.</summary>
public sealed class RepmgrConfView
{
    public RepmgrConfView(NodeName node, int nodeId, IPAddress address, int port, RepmgrPaths paths, RepmgrCommands commands, RepmgrTiming timing, int priority)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeId, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 0);
        NodeName = node.Value;
        NodeId = nodeId;
        Address = address.ToString();
        Port = port;
        DataDir = paths.DataDir;
        BinDir = paths.BinDir;
        PassFile = paths.PassFile;
        LogFile = paths.LogFile;
        RepmgrdPidFile = paths.RepmgrdPidFile;
        PromoteCommand = commands.Promote;
        FollowCommand = commands.Follow;
        ServiceStartCommand = commands.Start;
        ServiceStopCommand = commands.Stop;
        ServiceRestartCommand = commands.Restart;
        ServiceReloadCommand = commands.Reload;
        EventNotificationCommand = commands.EventNotification;
        MonitorIntervalSeconds = timing.MonitorIntervalSeconds;
        ReconnectAttempts = timing.ReconnectAttempts;
        ReconnectIntervalSeconds = timing.ReconnectIntervalSeconds;
        Priority = priority.ToString(CultureInfo.InvariantCulture);
    }

    public string NodeName { get; }
    public int NodeId { get; }
    public string Address { get; }
    public int Port { get; }
    public string DataDir { get; }
    public string BinDir { get; }
    public string PassFile { get; }
    public string LogFile { get; }
    public string RepmgrdPidFile { get; }
    public string Location => "default";
    public string Priority { get; }
    public string PromoteCommand { get; }
    public string FollowCommand { get; }
    public string ServiceStartCommand { get; }
    public string ServiceStopCommand { get; }
    public string ServiceRestartCommand { get; }
    public string ServiceReloadCommand { get; }
    public string EventNotificationCommand { get; }
    public int MonitorIntervalSeconds { get; }
    public int ReconnectAttempts { get; }
    public int ReconnectIntervalSeconds { get; }
}
