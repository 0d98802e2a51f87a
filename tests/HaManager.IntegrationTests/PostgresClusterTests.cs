using System.Text.Json;
using HaManager.IntegrationTests.Support;

namespace HaManager.IntegrationTests;

/// <summary>PostgreSQL 15 + repmgr + pgbouncer in the lab: replication, the failover drill, revive, and bad KV input.</summary>
[Collection(LabCollection.Name)]
public sealed class PostgresClusterTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Replication_StandbysStreamFromThePrimary_AndStatusAgrees()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var master = status.GetProperty("postgres_master").GetString()!;
        var standbys = Nodes.Where(n => n != master).ToArray();

        var streaming = await Eventually.WaitAsync(() => LabDatabase.LocalSqlAsync(master, "SELECT string_agg(application_name, ',' ORDER BY application_name) FROM pg_stat_replication WHERE state = 'streaming'"),
            r => r.StandardOutput.Trim() == string.Join(',', standbys), $"both standbys streaming from {master}", Settle);
        streaming.Succeeded.Should().BeTrue();

        foreach (var node in status.GetProperty("nodes").EnumerateArray())
        {
            var name = node.GetProperty("name").GetString();
            var postgres = node.GetProperty("postgres");
            postgres.GetProperty("role").GetString().Should().Be(name == master ? "primary" : "standby");
            if (name != master) postgres.GetProperty("upstream").GetString().Should().Be(master);
            node.GetProperty("pgbouncer").GetProperty("target").GetString().Should().Be(master);
        }

        var marker = Guid.NewGuid().ToString("N");
        var write = await Lab.ExecAsync("n3", "hamanager", "db", "psql", "--via", "local", "--", "-c",
            $"CREATE TABLE IF NOT EXISTS replicated (marker text); INSERT INTO replicated VALUES ('{marker}')");
        write.Succeeded.Should().BeTrue(write.OutputTail());
        var reader = standbys.First(n => n != "n3");
        await Eventually.WaitAsync(() => LabDatabase.LocalSqlAsync(reader, $"SELECT count(*) FROM replicated WHERE marker = '{marker}'"),
            r => r.StandardOutput.Trim() == "1", $"the row written through n3's pgbouncer on {reader}'s own PostgreSQL", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Credentials_ProbesUseTheMonitoringRole_PassfileNamesOnlyClusterHosts_NoPasswordInArgvOrLogs()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var master = status.GetProperty("postgres_master").GetString()!;

        // The monitoring role: no superuser, in pg_monitor; the node APIs' /cluster probes (every 2 s) log in with it.
        var role = await LabDatabase.LocalSqlAsync(master,
            "SELECT rolsuper::text || ',' || pg_has_role(oid, 'pg_monitor', 'MEMBER')::text FROM pg_roles WHERE rolname = 'hamanager_monitor'");
        role.StandardOutput.Trim().Should().Be("false,true", role.OutputTail());
        await Eventually.WaitAsync(() => LabDatabase.LocalSqlAsync(master, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'hamanager_monitor'"),
            r => int.TryParse(r.StandardOutput.Trim(), out var n) && n > 0, "a status probe connected as hamanager_monitor", TimeSpan.FromSeconds(30));
        var asRepmgr = await LabDatabase.LocalSqlAsync(master, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'repmgr' AND application_name = 'hamanager status'");
        asRepmgr.StandardOutput.Trim().Should().Be("0");

        var secrets = await Lab.ConsulKvAsync("n1", "get", "hamanager/secrets/postgres");
        var passwords = JsonDocument.Parse(secrets.StandardOutput).RootElement.EnumerateObject().Select(p => p.Value.GetString()!).ToList();
        passwords.Should().HaveCount(3, "repmgr, application and monitoring passwords");
        foreach (var node in Nodes)
        {
            var passfile = Lab.NodeFile(node, "var/lib/hamanager/pgpass");
            File.GetUnixFileMode(passfile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var lines = File.ReadAllLines(passfile).Where(l => !l.StartsWith('#')).ToList();
            lines.Should().NotContain(l => l.StartsWith('*'), "the passfile names the cluster's hosts, never '*'");
            foreach (var other in Nodes) lines.Should().Contain(l => l.StartsWith(Lab.Address(other) + ":*:*:repmgr:", StringComparison.Ordinal));

            // Bootstrap, the watchers and the services so far: no password in any log.
            foreach (var log in Directory.EnumerateFiles(Lab.NodeFile(node, "var/log"), "*", SearchOption.AllDirectories))
            {
                var text = await File.ReadAllTextAsync(log);
                foreach (var password in passwords) text.Should().NotContain(password, $"{log} must not contain a password");
            }
        }

        var ps = await Lab.ExecAsync("n1", "ps", "-eo", "args");
        foreach (var password in passwords) ps.StandardOutput.Should().NotContain(password, "no password on any command line");
    }

    [Fact]
    public async Task FailoverDrill_KillThePrimary_WritesResumeThroughTheVipAndNoAcknowledgedRowIsLost()
    {
        // Every command line during the failover and the revive (which re-runs bootstrap), for the check at the end.
        await using var commandLines = new CommandLineSampler();
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var old = status.GetProperty("postgres_master").GetString()!;
        var observer = Nodes.Last(n => n != old);
        var password = await LabDatabase.AppPasswordAsync();
        var dir = Directory.CreateTempSubdirectory("hamanager-drill-").FullName;
        var acks = Path.Combine(dir, "acks");
        var stop = Path.Combine(dir, "stop");

        using var writer = LabDatabase.StartWriter(observer, LabDatabase.ViaVip, password, acks, stop, 240);
        var stdout = writer.StandardOutput.ReadToEndAsync();
        var stderr = writer.StandardError.ReadToEndAsync();
        await Eventually.WaitAsync(() => File.Exists(acks) && File.ReadAllLines(acks).Length > 20, "the writer to get acknowledged writes", TimeSpan.FromSeconds(60));

        var killedAt = DateTimeOffset.UtcNow;
        (await Lab.RunAsync(TimeSpan.FromSeconds(60), "kill", old)).Succeeded.Should().BeTrue();
        var acknowledgedBeforeKill = File.ReadAllLines(acks).Length;

        var newMaster = await Eventually.WaitAsync(() => LabDatabase.MasterAsync(observer), m => m.Length > 0 && m != old, "a new master in KV", TimeSpan.FromSeconds(90));
        await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllLines(acks).Length), n => n > acknowledgedBeforeKill + 20, "writes to succeed again through the VIP", TimeSpan.FromSeconds(90));
        var recoveredAfter = DateTimeOffset.UtcNow - killedAt;
        File.WriteAllText(stop, "stop");
        await writer.WaitForExitAsync();

        recoveredAfter.Should().BeLessThan(TimeSpan.FromSeconds(90), $"writer output: {await stdout}\n{(await stderr)[^Math.Min(2000, (await stderr).Length)..]}");
        var newAddress = Lab.Address(newMaster);
        foreach (var survivor in Nodes.Where(n => n != old))
        {
            await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllText(Lab.NodeFile(survivor, "etc/pgbouncer/pgbouncer.ini"))),
                ini => ini.Contains($"host={newAddress} ", StringComparison.Ordinal), $"pgbouncer on {survivor} to target {newMaster}", TimeSpan.FromSeconds(30));
        }

        var verify = await LabDatabase.VerifyAsync(observer, LabDatabase.ViaVip, password, acks);
        verify.ExitCode.Should().Be(0, verify.OutputTail());
        verify.StandardOutput.Should().Contain("missing 0");

        var after = await Lab.StatusJsonAsync(observer);
        after.GetProperty("transitions").EnumerateArray().Should().Contain(t =>
            t.GetProperty("node").GetString() == newMaster && t.GetProperty("service").GetString() == "postgres" && t.GetProperty("to").GetString() == "PRIMARY");

        // Revive the old primary: it must come back as a standby of the new master, never as a second writable primary.
        (await Lab.RunAsync(TimeSpan.FromMinutes(5), "revive", old)).Succeeded.Should().BeTrue();
        var healed = await LabDatabase.HealthyStatusAsync(observer, Settle);
        var revived = healed.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == old);
        revived.GetProperty("postgres").GetProperty("role").GetString().Should().Be("standby");
        revived.GetProperty("postgres").GetProperty("upstream").GetString().Should().Be(newMaster);
        healed.GetProperty("postgres_master").GetString().Should().Be(newMaster);
        (await LabDatabase.LocalSqlAsync(old, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("t");
        var history = await Lab.ExecAsync(observer, "hamanager", "history", "--node", old, "--service", "postgres", "--limit", "1", "--json");
        history.ExitCode.Should().Be(0, history.OutputTail());
        JsonDocument.Parse(history.StandardOutput).RootElement.GetProperty("transitions").EnumerateArray().Single().GetProperty("to").GetString()
            .Should().Be("STANDBY", $"history records that the revived {old} is a standby now, not only that it was a primary");

        // The VIP follows the database: the returning node, though its VRRP base priority may be higher, never takes it back.
        await Eventually.WaitAsync(() => Lab.VipHoldersAsync(Nodes), h => h.SequenceEqual([newMaster]), $"the VIP on the new primary {newMaster}", TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            (await Lab.VipHoldersAsync(Nodes)).Should().Equal([newMaster], $"the revived {old} must not take the VIP away from the primary");
            await Task.Delay(500);
        }

        // Through all of it, no generated password in any process's argv or in any node's log (issue 10).
        var passwords = await SecretExposure.PasswordsAsync();
        var seen = await commandLines.StopAsync();
        commandLines.Samples.Should().BeGreaterThan(100, "the sampler ran through the failover and the revive");
        seen.Should().Contain(line => line.Contains("bootstrap", StringComparison.Ordinal), "the revive's bootstrap was sampled");
        seen.Where(line => passwords.Any(p => line.Contains(p, StringComparison.Ordinal))).Should().BeEmpty("no password may appear in a command line");
        SecretExposure.LogsContaining(passwords).Should().BeEmpty("no password may appear in a log");
    }

    [Fact]
    public async Task StalePromotionReplayedFromASpool_NeverOverwritesTheNewerMaster()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var master = status.GetProperty("postgres_master").GetString()!;
        var stale = Nodes.First(n => n != master);
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var spooled = $$"""{"kind":"repmgr","node":"{{stale}}","at":"{{at:O}}","node_id":{{stale[1..]}},"event":"repmgrd_failover_promote","success":true,"host":"{{Lab.Address(stale)}}","port":5432,"repmgr_details":"lab test: a promotion from an hour ago"}""";
        var file = Lab.NodeFile(stale, $"var/lib/hamanager/spool/{at.UtcDateTime:yyyyMMdd'T'HHmmss'.'fffffff'Z'}-staletest.json");
        File.WriteAllText(file, spooled);

        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(file)), exists => !exists, $"{stale}'s watcher to replay the spool", TimeSpan.FromSeconds(30));
        (await LabDatabase.MasterAsync("n3")).Should().Be(master, "a promotion older than the registered master is rejected");
        var history = await Lab.ConsulKvAsync("n3", "get", "-recurse", "hamanager/transitions/");
        history.StandardOutput.Split('\n').Should().Contain(line => line.Contains($"-{stale}-postgres:", StringComparison.Ordinal) && line.Contains("stale promotion", StringComparison.Ordinal),
            "the replayed event is kept in history, marked as a rejected stale promotion");
        File.Exists(file + ".rejected").Should().BeFalse();
    }

    [Fact]
    public async Task MalformedMasterValue_IsLoggedWithItsKey_AndPgbouncerKeepsItsTarget()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        const string key = "hamanager/postgres/master";
        var original = (await Lab.ConsulKvAsync("n3", "get", key)).StandardOutput.Trim();
        var before = File.ReadAllText(Lab.NodeFile("n3", "etc/pgbouncer/pgbouncer.ini"));
        try
        {
            (await Lab.ConsulKvAsync("n3", "put", key, "{\"node\": \"n2\", \"host\": ")).Succeeded.Should().BeTrue();
            await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog("n3")), log => log.Contains($"'{key}' is invalid", StringComparison.Ordinal),
                "n3's watcher to log the malformed master", TimeSpan.FromSeconds(30));
            File.ReadAllText(Lab.NodeFile("n3", "etc/pgbouncer/pgbouncer.ini")).Should().Be(before);
        }
        finally
        {
            (await Lab.ConsulKvAsync("n3", "put", key, original)).Succeeded.Should().BeTrue();
        }

        status.GetProperty("postgres_master").GetString().Should().NotBeNull();
    }

    [Fact]
    public async Task MasterNamingAnUnregisteredNode_IsRejected_AndNobodyIsFenced()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var master = status.GetProperty("postgres_master").GetString()!;
        const string key = "hamanager/postgres/master";
        var original = (await Lab.ConsulKvAsync("n3", "get", key)).StandardOutput.Trim();
        var before = File.ReadAllText(Lab.NodeFile("n3", "etc/pgbouncer/pgbouncer.ini"));
        try
        {
            var bogus = $$"""{"node":"n9","host":"10.231.0.19","port":5432,"node_id":9,"since":"{{DateTimeOffset.UtcNow.AddMinutes(1):O}}"}""";
            (await Lab.ConsulKvAsync("n3", "put", key, bogus)).Succeeded.Should().BeTrue();
            await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog("n3")), log => log.Contains("names node 'n9', which is not registered", StringComparison.Ordinal),
                "n3's pgbouncer watcher to reject the master", TimeSpan.FromSeconds(30));
            File.ReadAllText(Lab.NodeFile("n3", "etc/pgbouncer/pgbouncer.ini")).Should().Be(before);
            (await LabDatabase.LocalSqlAsync(master, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("f", "the real primary must not fence itself for an unregistered master");
        }
        finally
        {
            (await Lab.ConsulKvAsync("n3", "put", key, original)).Succeeded.Should().BeTrue();
        }
    }
}
