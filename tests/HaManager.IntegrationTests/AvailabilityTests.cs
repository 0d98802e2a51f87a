using System.Diagnostics;
using System.Text.Json;
using HaManager.IntegrationTests.Support;

namespace HaManager.IntegrationTests;

/// <summary>
/// The HA layer never causes an outage (issue 9): bad KV records, Consul outages, link flaps and a
/// restart of the watcher itself leave the database and the VIP serving; only a real failure of the
/// primary moves it.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class AvailabilityTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task InvalidRecordsUnderEveryPrefix_AffectOnlyThemselves_AndAPrimaryKillStillRetargetsEveryPgbouncer()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var old = status.GetProperty("postgres_master").GetString()!;
        var standbys = Nodes.Where(n => n != old).ToArray();
        var (observer, victim) = (standbys[0], standbys[1]);
        var originals = new Dictionary<string, string>();
        foreach (var key in new[] { $"hamanager/nodes/{victim}", $"hamanager/keepalived/nodes/{victim}", $"hamanager/postgres/nodes/{victim}", $"hamanager/syncthing/devices/{victim}" })
            originals[key] = (await Lab.ConsulKvAsync(observer, "get", key)).StandardOutput.Trim();
        string[] bogus = ["hamanager/nodes/n9", "hamanager/keepalived/nodes/n9"];
        try
        {
            // A real node's records turn invalid (an operator's typo): each one affects only itself.
            foreach (var key in originals.Keys) (await Lab.ConsulKvAsync(observer, "put", key, "{\"half\": ")).Succeeded.Should().BeTrue();
            (await Lab.ConsulKvAsync(observer, "put", bogus[0], "{\"name\":\"n9\",\"address\":\"not an address\"}")).Succeeded.Should().BeTrue();
            (await Lab.ConsulKvAsync(observer, "put", bogus[1], "{\"priority\": 900}")).Succeeded.Should().BeTrue();

            // A legitimate change elsewhere is still rendered: a new VRRP priority for the observer.
            var priorityKey = $"hamanager/keepalived/nodes/{observer}";
            var record = (await Lab.ConsulKvAsync(observer, "get", priorityKey)).StandardOutput.Trim();
            var priority = JsonDocument.Parse(record).RootElement.GetProperty("priority").GetInt32();
            (await Lab.ConsulKvAsync(observer, "put", priorityKey, record.Replace($"\"priority\":{priority}", $"\"priority\":{priority - 3}", StringComparison.Ordinal))).Succeeded.Should().BeTrue();
            await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllText(Lab.NodeFile(observer, "etc/keepalived/keepalived.conf"))),
                conf => conf.Contains($"priority {priority - 3}\n", StringComparison.Ordinal), $"{observer}'s new priority to be rendered", TimeSpan.FromSeconds(30));
            foreach (var node in Nodes)
            {
                File.ReadAllText(Lab.NodeFile(node, "etc/keepalived/keepalived.conf")).Should().NotContain("not an address");
                if (node != victim) File.ReadAllText(Lab.NodeFile(node, "etc/keepalived/keepalived.conf")).Should().Contain(Lab.Address(victim), $"{victim}'s registration keeps its last valid value");
            }

            var problems = (await Lab.StatusJsonAsync(observer)).GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
            foreach (var key in originals.Keys.Concat(bogus)) problems.Should().Contain(p => p.Contains(key, StringComparison.Ordinal), $"status names the invalid key {key}");

            // The failover-critical path waits on none of them: a primary kill retargets every surviving pgbouncer.
            (await Lab.RunAsync(TimeSpan.FromSeconds(60), "kill", old)).Succeeded.Should().BeTrue();
            var newMaster = await Eventually.WaitAsync(() => LabDatabase.MasterAsync(observer), m => m.Length > 0 && m != old, "a new master in KV", TimeSpan.FromSeconds(60));
            foreach (var survivor in standbys)
            {
                await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllText(Lab.NodeFile(survivor, "etc/pgbouncer/pgbouncer.ini"))),
                    ini => ini.Contains($"host={Lab.Address(newMaster)} ", StringComparison.Ordinal), $"pgbouncer on {survivor} to target {newMaster}", TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            foreach (var (key, value) in originals) await Lab.ConsulKvAsync(observer, "put", key, value);
            foreach (var key in bogus) await Lab.ConsulKvAsync(observer, "delete", key);
            // While its record was invalid, the victim's keepalived state changes were kept as history only (the
            // hook never invents a priority): a restart of its keepalived records its state afresh.
            await Lab.RunAsync(TimeSpan.FromSeconds(30), "stop-service", victim, "keepalived");
            await Lab.RunAsync(TimeSpan.FromSeconds(30), "start-service", victim, "keepalived");
            await Lab.RunAsync(TimeSpan.FromMinutes(5), "revive", old);
        }

        await LabDatabase.HealthyStatusAsync(observer, Settle);
    }

    [Fact]
    public async Task ConsulDownOnTwoOfThreeNodes_PrimaryKeepsAcceptingWrites_AndSpooledTransitionsReachKv()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var primary = status.GetProperty("postgres_master").GetString()!;
        var standbys = Nodes.Where(n => n != primary).ToArray();
        var (withoutConsul, writerNode) = (standbys[0], standbys[1]);
        var password = await LabDatabase.AppPasswordAsync();
        var dir = Directory.CreateTempSubdirectory("hamanager-consul-outage-").FullName;
        var (acks, stop) = (Path.Combine(dir, "acks"), Path.Combine(dir, "stop"));
        using var writer = LabDatabase.StartWriter(writerNode, LabDatabase.ViaVip, password, acks, stop, 300);
        var writerOut = writer.StandardOutput.ReadToEndAsync();
        await Eventually.WaitAsync(() => File.Exists(acks) && File.ReadAllLines(acks).Length > 20, "acknowledged writes before the outage", TimeSpan.FromSeconds(60));
        var outageStart = WriterOutages.Now();
        var primaryLogBefore = Lab.WatchLog(primary).Length;
        try
        {
            foreach (var node in new[] { primary, withoutConsul }) (await Lab.RunAsync(TimeSpan.FromSeconds(30), "stop-service", node, "consul")).Succeeded.Should().BeTrue();

            // A transition while Consul is away: keepalived restarted on a node without Consul (its hook must spool).
            (await Lab.RunAsync(TimeSpan.FromSeconds(30), "stop-service", withoutConsul, "keepalived")).Succeeded.Should().BeTrue();
            (await Lab.RunAsync(TimeSpan.FromSeconds(30), "start-service", withoutConsul, "keepalived")).Succeeded.Should().BeTrue();
            await Eventually.WaitAsync(() => Task.FromResult(Directory.GetFiles(Lab.NodeFile(withoutConsul, "var/lib/hamanager/spool"), "*.json").Length),
                n => n > 0, $"{withoutConsul}'s keepalived hook to spool its transitions", TimeSpan.FromSeconds(30));

            // Well past fence_without_quorum_seconds (6 s): the primary still has its standbys, so it keeps serving.
            var acknowledged = File.ReadAllLines(acks).Length;
            await Eventually.WaitAsync(() => Task.FromResult(WriterOutages.Now() - outageStart), s => s > 20, "20 s of Consul outage", TimeSpan.FromSeconds(60));
            File.ReadAllLines(acks).Length.Should().BeGreaterThan(acknowledged + 50, "writes through the VIP go on during the Consul outage");
            (await LabDatabase.LocalSqlAsync(primary, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("f");
            Lab.WatchLog(primary)[primaryLogBefore..].Should().NotContain("cut off", "the primary still has streaming standbys: it is not cut off");
        }
        finally
        {
            foreach (var node in new[] { primary, withoutConsul }) await Lab.RunAsync(TimeSpan.FromSeconds(30), "start-service", node, "consul");
        }

        var healed = await LabDatabase.HealthyStatusAsync(writerNode, Settle);
        healed.GetProperty("postgres_master").GetString().Should().Be(primary, "a Consul outage alone never moves the database");
        await Eventually.WaitAsync(() => Task.FromResult(Directory.GetFiles(Lab.NodeFile(withoutConsul, "var/lib/hamanager/spool"), "*.json").Length),
            n => n == 0, "the spool to be replayed", TimeSpan.FromSeconds(60));
        var history = await Lab.StatusJsonAsync(writerNode);
        history.GetProperty("transitions").EnumerateArray().Should().Contain(t =>
            t.GetProperty("node").GetString() == withoutConsul && t.GetProperty("service").GetString() == "keepalived"
            && t.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds() / 1000.0 > outageStart,
            "the transitions spooled during the outage (keepalived's restart) reach KV once Consul is back");

        File.WriteAllText(stop, "stop");
        await writer.WaitForExitAsync();
        WriterOutages.Longest(await writerOut).Should().BeLessThan(TimeSpan.FromSeconds(5), "the data path never depended on Consul");
        (await LabDatabase.VerifyAsync(writerNode, LabDatabase.ViaVip, password, acks)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task OneSecondLinkFlapOfThePrimary_CausesNoPromotion()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var primary = status.GetProperty("postgres_master").GetString()!;
        var observer = Nodes.Last(n => n != primary);
        var masterBefore = (await Lab.ConsulKvAsync(observer, "get", "hamanager/postgres/master")).StandardOutput.Trim();

        (await Lab.RunAsync(TimeSpan.FromSeconds(30), "partition", primary)).Succeeded.Should().BeTrue();
        var cut = Stopwatch.StartNew();
        await Eventually.WaitAsync(() => cut.Elapsed >= TimeSpan.FromSeconds(1), "one second", TimeSpan.FromSeconds(5));
        (await Lab.RunAsync(TimeSpan.FromSeconds(30), "heal", primary)).Succeeded.Should().BeTrue();

        // Watched well past the detector's 3 s: the master record never changes.
        var watched = Stopwatch.StartNew();
        while (watched.Elapsed < TimeSpan.FromSeconds(15))
        {
            (await Lab.ConsulKvAsync(observer, "get", "hamanager/postgres/master")).StandardOutput.Trim().Should().Be(masterBefore, "a 1 s flap is not a failure");
            await Task.Delay(500);
        }

        (await LabDatabase.LocalSqlAsync(primary, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("f");
        foreach (var standby in Nodes.Where(n => n != primary))
            (await LabDatabase.LocalSqlAsync(standby, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("t", $"{standby} was not promoted");
        await LabDatabase.HealthyStatusAsync(observer, Settle);
    }

    [Fact]
    public async Task WatchRestartedOnThePrimary_NoFailover_AndNoWriteErrorLongerThanTheRestart()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var primary = status.GetProperty("postgres_master").GetString()!;
        var observer = Nodes.Last(n => n != primary);
        var masterBefore = (await Lab.ConsulKvAsync(observer, "get", "hamanager/postgres/master")).StandardOutput.Trim();
        var servicesBefore = new[] { "keepalived", "pgbouncer.service", "repmgrd.service" }.ToDictionary(s => s, s => ServicePid(primary, s));
        var postmasterBefore = PostmasterPid(primary);
        var password = await LabDatabase.AppPasswordAsync();
        var dir = Directory.CreateTempSubdirectory("hamanager-watch-restart-").FullName;
        var (acks, stop) = (Path.Combine(dir, "acks"), Path.Combine(dir, "stop"));
        using var writer = LabDatabase.StartWriter(observer, LabDatabase.ViaVip, password, acks, stop, 120);
        var writerOut = writer.StandardOutput.ReadToEndAsync();
        await Eventually.WaitAsync(() => File.Exists(acks) && File.ReadAllLines(acks).Length > 20, "acknowledged writes before the restart", TimeSpan.FromSeconds(60));

        // As systemd stops a unit: SIGTERM to the watcher's process group, then a new watcher.
        var restart = Stopwatch.StartNew();
        (await Lab.RunAsync(TimeSpan.FromSeconds(60), "restart-watch", primary)).Succeeded.Should().BeTrue();
        restart.Stop();
        await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog(primary)), log => log.Split("hamanager watch started").Length > 2,
            "the new watcher to start", TimeSpan.FromSeconds(30));
        var acknowledged = File.ReadAllLines(acks).Length;
        await Eventually.WaitAsync(() => File.ReadAllLines(acks).Length > acknowledged + 50, "writes to go on after the restart", TimeSpan.FromSeconds(30));
        File.WriteAllText(stop, "stop");
        await writer.WaitForExitAsync();

        PostmasterPid(primary).Should().Be(postmasterBefore, "PostgreSQL outlives its supervisor");
        foreach (var (service, pid) in servicesBefore) ServicePid(primary, service).Should().Be(pid, $"{service} outlives its supervisor");
        (await Lab.ConsulKvAsync(observer, "get", "hamanager/postgres/master")).StandardOutput.Trim().Should().Be(masterBefore, "a watcher restart is not a failover");
        WriterOutages.Longest(await writerOut).Should().BeLessThan(restart.Elapsed + TimeSpan.FromSeconds(1));
        (await LabDatabase.VerifyAsync(observer, LabDatabase.ViaVip, password, acks)).ExitCode.Should().Be(0);
    }

    private static int? ServicePid(string node, string service)
    {
        var path = Lab.NodeFile(node, service.EndsWith(".service", StringComparison.Ordinal) ? $"var/lib/hamanager/{service}.pid" : $"run/hamanager/{service}.pid");
        var pid = File.Exists(path) && int.TryParse(File.ReadAllLines(path).FirstOrDefault(), out var p) ? p : (int?)null;
        pid.Should().NotBeNull($"{service} on {node} has a PID file at {path}");
        Lab.IsAlive(pid!.Value).Should().BeTrue($"{service} on {node} runs");
        return pid;
    }

    private static int PostmasterPid(string node) =>
        int.Parse(File.ReadAllLines(Lab.NodeFile(node, "var/lib/postgresql/15/main/postmaster.pid"))[0], System.Globalization.CultureInfo.InvariantCulture);
}
