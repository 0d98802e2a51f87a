using System.Net;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Templates.Views;

namespace HaManager.Watchers.Postgres;

public sealed record RepmgrWatcherOptions(NodeName Node, IPAddress Address, RepmgrPaths Paths, RepmgrCommands Commands, RepmgrTiming Timing)
{
    public static RepmgrWatcherOptions FromSettings(HaManagerSettings settings, PostgresLocal local)
    {
        var repmgr = local.Bin("repmgr");
        var config = local.RepmgrConfigFile;
        var hamanager = settings.SourcePath is null ? settings.Paths.HamanagerBinary : $"{settings.Paths.HamanagerBinary} --config {settings.SourcePath}";
        return new RepmgrWatcherOptions(
            NodeName.Parse(settings.Node.Name),
            IpAddresses.Parse(settings.Node.Address),
            new RepmgrPaths(local.DataDir, settings.Postgres.BinDir, local.PassFile, settings.Postgres.RepmgrLogFile, local.RepmgrdPidFile),
            new RepmgrCommands(
                promote: $"{repmgr} standby promote -f {config} --log-to-file",
                follow: $"{repmgr} standby follow -f {config} --log-to-file --upstream-node-id=%n",
                start: local.PgCtlCommandLine("start"),
                stop: local.PgCtlCommandLine("-m", "fast", "stop"),
                restart: local.PgCtlCommandLine("-m", "fast", "restart"),
                reload: local.PgCtlCommandLine("reload"),
                // repmgr runs this through a shell: its placeholders are double-quoted, our own words are plain paths.
                eventNotification: $"{hamanager} notify repmgr --node-id %n --event %e --success %s --timestamp \"%t\" --details \"%d\""),
            new RepmgrTiming());
    }
}
