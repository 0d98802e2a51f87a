using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Templates;
using HaManager.Templates.Views;
using HaManager.Watchers.Keepalived;

namespace HaManager.Tests.Watchers;

internal static class KeepalivedWatcherFactory
{
    /// <summary>A watcher for node <paramref name="node"/> whose validation command is `true` (or `false`, to simulate a rejecting keepalived -t).</summary>
    public static KeepalivedWatcher Create(string node, string address, string configFile, bool validatorAccepts = true) =>
        new(new KvKeys(), new KeepalivedWatcherOptions(
                NodeName.Parse(node), IPAddress.Parse(address), InterfaceName.Parse("eth0"), configFile,
                validatorAccepts ? "/bin/true" : "/bin/false",
                NotifyCommand.FromWords("/usr/bin/hamanager", "notify", "keepalived"),
                new ServiceOptions { Unit = "keepalived.service" },
                "/var/lib/hamanager/keepalived-primary"),
            new TemplateRenderer());
}
