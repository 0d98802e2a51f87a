using HaManager.Cli.Logging;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Syncthing;

namespace HaManager.Cli;

/// <summary>
/// What the commands reach outside the process: the environment, Consul, the local syncthing, the terminal.
/// The defaults are the real ones; tests replace single parts with fakes and run the whole command line.
/// </summary>
public sealed record CliServices
{
    public static CliServices Default { get; } = new();

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The settings file read when neither --config nor HAMANAGER_CONFIG names one.</summary>
    public string DefaultConfigPath { get; init; } = HaManagerSettings.DefaultPath;

    public Func<ConsulClientOptions, ClusterConnection> ConnectConsul { get; init; } = ClusterConnection.Open;

    /// <summary>This node's syncthing REST API, with a request timeout (null: the API's default).</summary>
    public Func<HaManagerSettings, TimeSpan?, ISyncthingApi> Syncthing { get; init; } = (settings, timeout) => SyncthingApi.FromSettings(settings, timeout);

    /// <summary>Consul's Raft peers and gossip members, for `node remove` (tests replace it with a fake).</summary>
    public Func<ConsulClientOptions, Nodes.IClusterMembership> Membership { get; init; } = options => new Nodes.ConsulMembership(new ConsulClient(options));

    /// <summary>repmgr's metadata and slots on the primary, for `node remove`.</summary>
    public Nodes.IRepmgrRegistry Repmgr { get; init; } = new Nodes.NpgsqlRepmgrRegistry();

    /// <summary>user@host of whoever runs the command (the user who ran sudo when there is one), recorded with what an operator changed.</summary>
    public string OperatorName()
    {
        var user = Environment("SUDO_USER") ?? Environment("USER") ?? System.Environment.UserName;
        return $"{user}@{System.Environment.MachineName}";
    }

    /// <summary>Now, for records that carry a time (a maintenance window's start and end).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Whether standard input is a terminal an operator can answer a confirmation on.</summary>
    public bool InputIsTerminal { get; init; } = !Console.IsInputRedirected;

    /// <summary>Reads the operator's answer to a confirmation question.</summary>
    public Func<string?> ReadAnswer { get; init; } = Console.ReadLine;

    /// <summary>Progress spinners only on a terminal: a script or a log file gets nothing extra.</summary>
    public bool ErrorIsTerminal { get; init; } = !Console.IsErrorRedirected;

    /// <summary>Whether standard error is systemd's journal stream (log lines then carry a &lt;N&gt; priority prefix).</summary>
    public Func<bool> ErrorIsJournal { get; init; } = () => JournalStream.IsStandardError(System.Environment.GetEnvironmentVariable);
}
