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
    /// <param name="subnet">node.address with its prefix length on the interface, as the kernel would give it; null: unknown (the virtual IP is not checked).</param>
    public static KeepalivedWatcher Create(string node, string address, string configFile, bool validatorAccepts = true, string? subnet = null) =>
        new(new KvKeys(), new KeepalivedWatcherOptions(
                NodeName.Parse(node), IPAddress.Parse(address), InterfaceName.Parse("eth0"), configFile,
                validatorAccepts ? "/bin/true" : "/bin/false",
                NotifyCommand.FromWords("/usr/bin/hamanager", "notify", "keepalived"),
                new ServiceOptions { Unit = "keepalived.service" },
                "/var/lib/hamanager/keepalived-primary") { Subnet = subnet is null ? null : Cidr.Parse(subnet) },
            new TemplateRenderer());
}
