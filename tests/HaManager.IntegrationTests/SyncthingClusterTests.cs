using System.Text.Json;
using System.Text.Json.Nodes;
using HaManager.IntegrationTests.Support;

namespace HaManager.IntegrationTests;

/// <summary>
/// File replication end to end: real syncthing on every lab node, configured only from KV, and
/// `hamanager sync wait` as the confirmation an upload handler waits for.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class SyncthingClusterTests
{
    private static readonly string[] Peers = ["n2", "n3"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task FileWrittenIntoN1Resources_IsByteIdenticalOnN2AndN3_WhenSyncWaitReturns()
    {
        var name = $"upload-{Guid.NewGuid():N}.bin";
        var written = await LabSyncthing.WriteRandomFileAsync(Path.Combine(LabSyncthing.ResourcesDir("n1"), "blueprints", name), 8 << 20);

        var result = await Lab.ExecAsync("n1", "hamanager", "sync", "wait", "--folder", "resources", "--timeout", "60");

        // Read before anything else: what is on disk at the moment sync wait said "replicated".
        var onPeers = Peers.ToDictionary(p => p, p => LabSyncthing.TryRead(Path.Combine(LabSyncthing.ResourcesDir(p), "blueprints", name)));
        result.ExitCode.Should().Be(0, result.OutputTail());
        result.StandardOutput.Should().Contain("replicated to n2, n3");
        foreach (var (peer, bytes) in onPeers)
        {
            bytes.Should().NotBeNull($"sync wait returned 0, so {peer} must already have the file");
            bytes!.AsSpan().SequenceEqual(written).Should().BeTrue($"the copy on {peer} must be byte-identical");
        }
    }

    [Fact]
    public async Task FolderAddedToTheClusterConfig_IsSharedLiveEverywhere_AndSyncWaitWaitsForPeersThatHaveNothingYet()
    {
        // A new folder starts empty on every node: the case in which syncthing 1.19 reports 100 % for a
        // peer that has announced nothing. sync wait must still wait for the file to be there.
        var folder = "t" + Guid.NewGuid().ToString("N")[..10];
        var path = $"/srv/hamanager/{folder}"; // under one of the default syncthing.allowed_roots
        var pidsBefore = new[] { "n1", "n2", "n3" }.ToDictionary(n => n, n => Lab.Pid(n, "syncthing"));
        var peerIds = new List<string>();
        foreach (var peer in Peers) peerIds.Add(await LabSyncthing.DeviceIdAsync(peer));
        await LabSyncthing.EditFoldersAsync(folders => folders.Add(new JsonObject { ["id"] = folder, ["path"] = path }));
        try
        {
            await Eventually.WaitAsync(async () => LabSyncthing.SharedWith(await LabSyncthing.ConfigAsync("n1"), folder),
                shared => peerIds.All(shared.Contains), $"n1's syncthing to share {folder} with n2 and n3", TimeSpan.FromSeconds(30));
            var written = await LabSyncthing.WriteRandomFileAsync(Lab.NodeFile("n1", $"{path}/plugin.wgn"), 4 << 20);

            var result = await Lab.ExecAsync("n1", "hamanager", "sync", "wait", "--folder", folder, "--timeout", "90");

            var onPeers = Peers.ToDictionary(p => p, p => LabSyncthing.TryRead(Lab.NodeFile(p, $"{path}/plugin.wgn")));
            result.ExitCode.Should().Be(0, result.OutputTail());
            foreach (var (peer, bytes) in onPeers)
            {
                bytes.Should().NotBeNull($"sync wait returned 0, so {peer} must already have the file");
                bytes!.AsSpan().SequenceEqual(written).Should().BeTrue($"the copy on {peer} must be byte-identical");
            }

            foreach (var (node, pid) in pidsBefore)
            {
                pid.Should().NotBeNull();
                Lab.Pid(node, "syncthing").Should().Be(pid, $"a config change must not restart syncthing on {node}");
                Lab.IsAlive(pid!.Value).Should().BeTrue();
            }
        }
        finally
        {
            await LabSyncthing.EditFoldersAsync(folders =>
            {
                foreach (var added in folders.Where(f => f?["id"]?.GetValue<string>() == folder).ToList()) folders.Remove(added);
            });
        }

        await Eventually.WaitAsync(async () => LabSyncthing.SharedWith(await LabSyncthing.ConfigAsync("n2"), folder),
            shared => shared.Count == 0, $"n2's syncthing to drop {folder} once it left the cluster config", TimeSpan.FromSeconds(30));
        File.Exists(Lab.NodeFile("n2", $"{path}/plugin.wgn")).Should().BeTrue("removing a folder from replication keeps its files");
    }

    [Fact]
    public async Task MalformedDeviceIdInKv_IsLeftOutNamingTheKey_AndLeavesSyncthingAsItWas()
    {
        const string key = "hamanager/syncthing/devices/n9";
        var before = await LabSyncthing.ConfigAsync("n2");
        var put = await Lab.ConsulKvAsync("n1", "put", key, """{"device_id":"MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGG3DM-PJSXI2N-UKWLYQA-XXXXXXX","address":"tcp://10.231.0.19:22000"}""");
        put.Succeeded.Should().BeTrue(put.OutputTail());
        try
        {
            await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog("n2")), log => log.Contains(key, StringComparison.Ordinal),
                $"n2's watcher to reject {key}", TimeSpan.FromSeconds(30));
            var rejection = Lab.WatchLog("n2").Split('\n').Last(l => l.Contains(key, StringComparison.Ordinal));
            rejection.Should().Contain("device ID").And.Contain("left out", "a key that was never valid affects only itself: it is left out");

            var after = await LabSyncthing.ConfigAsync("n2");
            LabSyncthing.DeviceIds(after).Should().Equal(LabSyncthing.DeviceIds(before));
            after.GetProperty("devices").GetRawText().Should().Be(before.GetProperty("devices").GetRawText(), "no device may be added, changed or removed");
            after.GetProperty("folders").GetRawText().Should().Be(before.GetProperty("folders").GetRawText());

            var status = await Lab.StatusJsonAsync("n2");
            status.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Contain(p => p!.Contains(key));
        }
        finally
        {
            await Lab.ConsulKvAsync("n1", "delete", key);
        }
    }

    [Fact]
    public async Task FolderOrDeviceKvMayNotAskFor_IsRefusedNamingTheKey_AndEverySyncthingStaysAsItWas()
    {
        const string configKey = "hamanager/config";
        const string deviceKey = "hamanager/syncthing/devices/n9";
        string[] nodes = ["n1", "n2", "n3"];
        var before = new Dictionary<string, JsonElement>();
        foreach (var node in nodes) before[node] = await LabSyncthing.ConfigAsync(node);
        var stored = (await Lab.ConsulKvAsync("n1", "get", configKey)).StandardOutput.Trim();

        // The CLI refuses it before writing anything.
        var set = await Lab.ExecAsync("n1", "hamanager", "config", "set", """replicated_folders=[{"id":"resources","path":"/opt/manager/resources"},{"id":"etc","path":"/etc"}]""");
        set.ExitCode.Should().Be(2, set.OutputTail());
        set.StandardError.Should().Contain("replicated_folders[1].path '/etc' is the system directory /etc").And.Contain("nothing was written");
        (await Lab.ConsulKvAsync("n1", "get", configKey)).StandardOutput.Trim().Should().Be(stored);

        try
        {
            // Written straight into KV (anyone with a token that may write the config): every node keeps the last valid config.
            foreach (var (path, reason) in new[] { ("/etc", "'/etc' is the system directory /etc"), ("../../etc", "'../../etc' must be a normalized absolute path") })
            {
                await LabSyncthing.EditFoldersAsync(folders => folders.Add(new JsonObject { ["id"] = "escape", ["path"] = path }));
                foreach (var node in nodes)
                    await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog(node)), log => log.Split('\n').Any(l => l.Contains(configKey) && l.Contains(reason) && l.Contains("using its last valid value")),
                        $"{node}'s watcher to refuse {path} in {configKey} and keep its last valid value", TimeSpan.FromSeconds(30));
                var status = await Lab.StatusJsonAsync("n2");
                Problems(status).Should().Contain(p => p.Contains($"'{configKey}'") && p.Contains(reason));
                await RestoreConfigAsync(stored);
            }

            // Valid in KV but outside every node's syncthing.allowed_roots: each node's syncthing watcher refuses it, the rest stays in step.
            await LabSyncthing.EditFoldersAsync(folders => folders.Add(new JsonObject { ["id"] = "elsewhere", ["path"] = "/opt/elsewhere" }));
            foreach (var node in nodes)
                await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog(node)),
                    log => log.Contains($"'{configKey}': replicated folder 'elsewhere' (path '/opt/elsewhere') is refused on this node: it is not at or below one of syncthing.allowed_roots", StringComparison.Ordinal),
                    $"{node}'s syncthing watcher to refuse /opt/elsewhere", TimeSpan.FromSeconds(30));
            Problems(await Lab.StatusJsonAsync("n2")).Should().Contain(p => p.StartsWith($"'{configKey}': replicated folder 'elsewhere' (path '/opt/elsewhere') is refused on n2", StringComparison.Ordinal));

            // A device record of a node that never registered is not used by anyone.
            var put = await Lab.ConsulKvAsync("n1", "put", deviceKey, """{"device_id":"FKAVNGP-V4SIKEI-JBLBA5W-Q4SMNCN-TYQLMUS-BD6HF57-LGR53ZG-BNTAVQY","address":"tcp://10.231.0.19:22000"}""");
            put.Succeeded.Should().BeTrue(put.OutputTail());
            foreach (var node in nodes)
                await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog(node)),
                    log => log.Contains($"'{deviceKey}' is not used: no node 'n9' is registered", StringComparison.Ordinal),
                    $"{node}'s syncthing watcher to leave {deviceKey} out", TimeSpan.FromSeconds(30));
            Problems(await Lab.StatusJsonAsync("n1")).Should().Contain(p => p.StartsWith($"'{deviceKey}' is not used", StringComparison.Ordinal));

            foreach (var node in nodes)
            {
                var after = await LabSyncthing.ConfigAsync(node);
                after.GetProperty("folders").GetRawText().Should().Be(before[node].GetProperty("folders").GetRawText(), $"no folder may be added or changed on {node}");
                after.GetProperty("devices").GetRawText().Should().Be(before[node].GetProperty("devices").GetRawText(), $"no device may be added on {node}");
                Directory.Exists(Lab.NodeFile(node, "opt/elsewhere")).Should().BeFalse("a refused folder's directory is never created");
            }
        }
        finally
        {
            await Lab.ConsulKvAsync("n1", "delete", deviceKey);
            await RestoreConfigAsync(stored);
        }
    }

    private static IEnumerable<string> Problems(JsonElement status) => status.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!);

    private static async Task RestoreConfigAsync(string stored)
    {
        var put = await Lab.ConsulKvAsync("n1", "put", "hamanager/config", stored);
        put.Succeeded.Should().BeTrue(put.OutputTail());
    }

    [Fact]
    public async Task SyncWait_WithAPeerKilled_TimesOutNamingIt_AndTheFileReachesItOnceRevived()
    {
        await LabDatabase.HealthyStatusAsync("n1", Settle);
        // Kill n3 unless it holds the PostgreSQL master (a failover here would only slow the suite down).
        var victim = await LabDatabase.MasterAsync("n1") == "n3" ? "n2" : "n3";
        var survivor = Peers.Single(p => p != victim);
        var name = $"late-{Guid.NewGuid():N}.bin";
        (await Lab.RunAsync(TimeSpan.FromSeconds(30), "kill", victim)).Succeeded.Should().BeTrue();
        byte[] written;
        try
        {
            written = await LabSyncthing.WriteRandomFileAsync(Path.Combine(LabSyncthing.ResourcesDir("n1"), name), 1 << 20);

            var result = await Lab.ExecAsync("n1", "hamanager", "sync", "wait", "--folder", "resources", "--timeout", "5");

            result.ExitCode.Should().Be(5, result.OutputTail());
            // Until syncthing's keepalive notices the dead TCP connection the reason is "nothing announced"/"at N %", later "not connected": either way it is named.
            result.StandardError.Should().Contain($"lagging: {victim}").And.Contain($"\n  {victim}: resources ");
            result.StandardError.Should().NotContain($"  {survivor}:", $"{survivor} is up and has the file");
            LabSyncthing.TryRead(Path.Combine(LabSyncthing.ResourcesDir(survivor), name)).Should().NotBeNull();

            var onePeer = await Lab.ExecAsync("n1", "hamanager", "sync", "wait", "--folder", "resources", "--timeout", "30", "--min-peers", "1");
            onePeer.ExitCode.Should().Be(0, onePeer.OutputTail());
            onePeer.StandardOutput.Should().Contain($"replicated to {survivor}").And.Contain($"still lagging: {victim}");
        }
        finally
        {
            await Lab.RequireAsync(TimeSpan.FromMinutes(5), "revive", victim);
        }

        var arrived = await Eventually.WaitAsync(() => Task.FromResult(LabSyncthing.TryRead(Path.Combine(LabSyncthing.ResourcesDir(victim), name))),
            bytes => bytes is not null, $"the file to reach {victim} after it came back", TimeSpan.FromSeconds(90));
        arrived!.AsSpan().SequenceEqual(written).Should().BeTrue();
        (await Lab.ExecAsync("n1", "hamanager", "sync", "wait", "--folder", "resources", "--timeout", "60")).ExitCode.Should().Be(0);
    }
}

/// <summary>A node that joins a running cluster later: no manual step on any node, and it gets what was uploaded before.</summary>
[Collection(GrowingLabCollection.Name)]
public sealed class SyncthingLateJoinTests
{
    [Fact]
    public async Task NodeJoiningLater_ReceivesExistingFiles_AndEveryNodeAddsItWithoutAManualStep()
    {
        const string late = "n5";
        var name = $"before-{late}-{Guid.NewGuid():N}.bin";
        var written = await LabSyncthing.WriteRandomFileAsync(Path.Combine(LabSyncthing.ResourcesDir("n1"), name), 2 << 20);
        var wait = await Lab.ExecAsync("n1", "hamanager", "sync", "wait", "--folder", "resources", "--timeout", "60");
        wait.ExitCode.Should().Be(0, wait.OutputTail());

        await Lab.RequireAsync(TimeSpan.FromMinutes(5), "join", late);

        var lateId = await LabSyncthing.DeviceIdAsync(late);
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            var config = await Eventually.WaitAsync(() => LabSyncthing.ConfigAsync(node), c => LabSyncthing.SharedWith(c, "resources").Contains(lateId),
                $"{node}'s syncthing to add {late} and share resources with it", TimeSpan.FromSeconds(30));
            LabSyncthing.DeviceIds(config).Should().Contain(lateId);
            LabSyncthing.SharedWith(config, "plugins").Should().Contain(lateId);
        }

        var arrived = await Eventually.WaitAsync(() => Task.FromResult(LabSyncthing.TryRead(Path.Combine(LabSyncthing.ResourcesDir(late), name))),
            bytes => bytes is not null, $"{late} to receive the file written before it joined", TimeSpan.FromSeconds(90));
        arrived!.AsSpan().SequenceEqual(written).Should().BeTrue();
        var confirmed = await Lab.ExecAsync("n1", "hamanager", "sync", "wait", "--timeout", "60");
        confirmed.ExitCode.Should().Be(0, confirmed.OutputTail());
        confirmed.StandardOutput.Should().Contain(late);

        var status = await Lab.StatusJsonAsync("n1");
        var lateStatus = status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == late).GetProperty("syncthing");
        lateStatus.GetProperty("device_id").GetString().Should().Be(lateId);
        lateStatus.GetProperty("connected").GetBoolean().Should().BeTrue();
        lateStatus.GetProperty("folders").GetProperty("resources").GetDouble().Should().Be(100);
    }
}
