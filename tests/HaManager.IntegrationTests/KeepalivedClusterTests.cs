using System.Text.Json;
using HaManager.IntegrationTests.Support;

namespace HaManager.IntegrationTests;

/// <summary>The foundation slice end to end: real Consul, real keepalived, three network namespaces.</summary>
[Collection(LabCollection.Name)]
public sealed class KeepalivedClusterTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];
    private static readonly TimeSpan VipMoveBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Cluster_AfterParallelJoins_HasThreeNodesWithDistinctPrioritiesAndOneMaster()
    {
        var status = await Eventually.WaitAsync(() => Lab.StatusJsonAsync(),
            s => s.GetProperty("vip_holder").ValueKind == JsonValueKind.String, "a VIP holder in status", VipMoveBound);

        var nodes = status.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Select(n => n.GetProperty("name").GetString()).Should().Equal(Nodes);
        nodes.Select(n => n.GetProperty("address").GetString()).Should().Equal("10.231.0.11", "10.231.0.12", "10.231.0.13");
        nodes.Select(n => n.GetProperty("keepalived").GetProperty("priority").GetInt32()).Should().OnlyHaveUniqueItems();
        nodes.Count(n => n.GetProperty("keepalived").GetProperty("state").GetString() == "MASTER").Should().Be(1);

        var holder = status.GetProperty("vip_holder").GetString();
        var onInterface = await Eventually.WaitAsync(() => Lab.VipHoldersAsync(Nodes), h => h.Count == 1, "the VIP on exactly one interface", VipMoveBound);
        onInterface.Should().Equal(holder);
    }

    [Fact]
    public async Task Cluster_EveryNode_ListsTheOtherTwoAsUnicastPeers()
    {
        foreach (var node in Nodes)
        {
            var conf = await Eventually.WaitAsync(
                () => Task.FromResult(File.ReadAllText(Lab.NodeFile(node, "etc/keepalived/keepalived.conf"))),
                c => Nodes.Where(n => n != node).All(peer => c.Contains($"        {Lab.Address(peer)}\n", StringComparison.Ordinal)),
                $"{node}'s unicast peers", TimeSpan.FromSeconds(30));
            conf.Should().Contain($"unicast_src_ip {Lab.Address(node)}");
            conf.Should().NotContain($"        {Lab.Address(node)}\n", "a node is not its own peer");
        }
    }

    [Fact]
    public async Task StoppingTheMastersKeepalived_MovesTheVipAndRecordsTheTransition()
    {
        var holder = (await Eventually.WaitAsync(() => Lab.VipHoldersAsync(Nodes), h => h.Count == 1, "one VIP holder", VipMoveBound)).Single();
        var status = await Lab.StatusJsonAsync();
        var next = status.GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("name").GetString() != holder)
            .OrderByDescending(n => n.GetProperty("keepalived").GetProperty("priority").GetInt32())
            .First().GetProperty("name").GetString()!;

        var pid = Lab.Pid(holder, "keepalived") ?? throw new InvalidOperationException($"no keepalived pid file on {holder}");
        (await Lab.ExecAsync(holder, "kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture))).Succeeded.Should().BeTrue();

        try
        {
            await Eventually.WaitAsync(() => Lab.VipHoldersAsync(Nodes), h => h.SequenceEqual([next]), $"the VIP to move from {holder} to {next}", VipMoveBound);
            var after = await Eventually.WaitAsync(() => Lab.StatusJsonAsync(next),
                s => s.GetProperty("transitions").EnumerateArray().Any(t => IsTransition(t, next, "MASTER")) && s.GetProperty("vip_holder").GetString() == next,
                $"a transition of {next} to MASTER in KV and {next} as the only MASTER", VipMoveBound);
            after.GetProperty("vip_holder").GetString().Should().Be(next);
            after.GetProperty("transitions").EnumerateArray().Should().Contain(t => IsTransition(t, holder, "STOP"));
        }
        finally
        {
            // Re-running bootstrap converges: it starts keepalived again and the higher priority takes the VIP back.
            var rerun = await Lab.ExecAsync(holder, ["hamanager", "bootstrap", .. BootstrapArguments(holder)]);
            rerun.Succeeded.Should().BeTrue(rerun.OutputTail());
            rerun.StandardOutput.Should().Contain("already registered").And.Contain("keeps priority");
            await Eventually.WaitAsync(() => Lab.VipHoldersAsync(Nodes), h => h.SequenceEqual([holder]), $"the VIP back on {holder}", VipMoveBound);
        }
    }

    [Fact]
    public async Task OperatorChangesAPriorityInKv_ThatNodesConfigIsRewrittenAndKeepalivedReloaded()
    {
        const string key = "hamanager/keepalived/nodes/n3";
        var original = (await Lab.ConsulKvAsync("n3", "get", key)).StandardOutput.Trim();
        var record = JsonDocument.Parse(original).RootElement;
        var newPriority = record.GetProperty("priority").GetInt32() - 5;
        var changed = original.Replace($"\"priority\":{record.GetProperty("priority").GetInt32()}", $"\"priority\":{newPriority}", StringComparison.Ordinal);
        var reloadsBefore = CountReloads("n3");

        (await Lab.ConsulKvAsync("n1", "put", key, changed)).Succeeded.Should().BeTrue();

        await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllText(Lab.NodeFile("n3", "etc/keepalived/keepalived.conf"))),
            c => c.Contains($"priority {newPriority}\n", StringComparison.Ordinal), "n3's keepalived.conf to carry the new priority", TimeSpan.FromSeconds(30));
        await Eventually.WaitAsync(() => Task.FromResult(CountReloads("n3")), n => n > reloadsBefore, "keepalived on n3 to reload", TimeSpan.FromSeconds(30));
        Lab.WatchLog("n3").Should().Contain($"priority {newPriority}").And.Contain("reloaded keepalived");
    }

    [Fact]
    public async Task MalformedValueUnderKeepalivedNodes_IsLoggedWithItsKeyAndTheFileIsKept()
    {
        const string key = "hamanager/keepalived/nodes/n9";
        var before = File.ReadAllText(Lab.NodeFile("n1", "etc/keepalived/keepalived.conf"));
        var watchPid = Lab.Pid("n1", "watch")!.Value;
        try
        {
            (await Lab.ConsulKvAsync("n1", "put", key, "{\"priority\": 1")).Succeeded.Should().BeTrue();
            await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog("n1")), log => log.Contains($"'{key}' is invalid", StringComparison.Ordinal),
                "n1's watcher to log the malformed key", TimeSpan.FromSeconds(30));
            File.ReadAllText(Lab.NodeFile("n1", "etc/keepalived/keepalived.conf")).Should().Be(before);
            Lab.IsAlive(watchPid).Should().BeTrue("the watcher keeps running");
        }
        finally
        {
            (await Lab.ConsulKvAsync("n1", "delete", key)).Succeeded.Should().BeTrue();
        }
    }

    [Fact]
    public async Task NodeKeyWithABrace_NeverReachesKeepalivedConf()
    {
        const string key = "hamanager/nodes/n9}";
        try
        {
            (await Lab.ConsulKvAsync("n1", "put", key, """{"name":"n9","address":"10.231.0.19","joined_at":"2026-01-01T00:00:00Z","version":"1"}""")).Succeeded.Should().BeTrue();
            await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog("n2")), log => log.Contains($"'{key}' is invalid", StringComparison.Ordinal),
                "n2's watcher to reject the key", TimeSpan.FromSeconds(30));
            File.ReadAllText(Lab.NodeFile("n2", "etc/keepalived/keepalived.conf")).Should().NotContain("10.231.0.19").And.NotContain("n9");
        }
        finally
        {
            (await Lab.ConsulKvAsync("n1", "delete", key)).Succeeded.Should().BeTrue();
        }
    }

    [Fact]
    public async Task NotifyHook_ConsulUnreachable_SpoolsAndTheWatcherReplaysIt()
    {
        // The replayed event becomes the node's recorded state: it must be true, so it comes from a node that is
        // really BACKUP (not holding the VIP), or the cluster would be left looking as if nobody held the VIP.
        var node = await Eventually.WaitAsync(async () =>
        {
            foreach (var candidate in new[] { "n1", "n2", "n3" })
            {
                var addresses = await Lab.ExecAsync(candidate, "ip", "-o", "addr");
                if (addresses.Succeeded && !addresses.StandardOutput.Contains(Lab.VirtualIpCidr.Split('/')[0] + "/", StringComparison.Ordinal)) return candidate;
            }

            return string.Empty;
        }, n => n.Length > 0, "a node that does not hold the VIP", TimeSpan.FromSeconds(30));
        var spool = Lab.NodeFile(node, "var/lib/hamanager/spool");
        var hook = await Lab.ExecAsync(node, "hamanager", "--consul", "http://127.0.0.1:1", "notify", "keepalived", "INSTANCE", "VI_1", "BACKUP", "130");
        hook.Succeeded.Should().BeTrue(hook.OutputTail());
        hook.StandardOutput.Should().Contain("spooled");

        await Eventually.WaitAsync(() => Task.FromResult(Directory.GetFiles(spool, "*.json").Length), n => n == 0, "the watcher to replay the spool", TimeSpan.FromSeconds(30));
        Lab.WatchLog(node).Should().Contain("Replayed");
        Directory.GetFiles(spool, "*.rejected").Should().BeEmpty();
    }

    private static string[] BootstrapArguments(string node) =>
        node == "n1" ? ["--virtual-ip", Lab.VirtualIpCidr] : ["--join", Lab.Address("n1")];

    private static bool IsTransition(JsonElement t, string node, string to) =>
        t.GetProperty("node").GetString() == node && t.GetProperty("service").GetString() == "keepalived" && t.GetProperty("to").GetString() == to;

    private static int CountReloads(string node) =>
        File.ReadAllLines(Lab.NodeFile(node, "var/log/keepalived.log")).Count(l => l.Contains("Reloading ...", StringComparison.Ordinal));
}
