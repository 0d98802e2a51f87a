using System.Text.Json;
using HaManager.IntegrationTests.Support;

namespace HaManager.IntegrationTests;

/// <summary>
/// Operations (issue 11): maintenance pauses automatic failover cluster-wide and the cluster heals once it ends;
/// `config set` refuses an invalid value without writing and a valid one reaches every node's keepalived.conf.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class MaintenanceAndConfigTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task MaintenanceOn_PrimaryPostgresKilled_NoPromotionWhileOn_StatusSaysWhy_AndTheDetectorPromotesOnceOff()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var primary = status.GetProperty("postgres_master").GetString()!;
        var standbys = Nodes.Where(n => n != primary).ToArray();
        var observer = standbys[0];
        try
        {
            var on = await Lab.ExecAsync(observer, "hamanager", "maintenance", "on", "--reason", "lab: PostgreSQL restart", "--for", "10m");
            on.ExitCode.Should().Be(0, on.OutputTail());
            on.StandardOutput.Should().Contain("Maintenance is ON cluster-wide").And.Contain("lab: PostgreSQL restart");
            foreach (var node in Nodes)
                await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog(node)), log => log.Contains("maintenance: maintenance on (by ", StringComparison.Ordinal),
                    $"{node}'s watcher to take up maintenance", TimeSpan.FromSeconds(30));

            (await Lab.ExecAsync(primary, "kill", "-KILL", PostmasterPid(primary).ToString(System.Globalization.CultureInfo.InvariantCulture))).Succeeded.Should().BeTrue();
            // Far beyond the detector's 3 s: every standby has long seen the primary silent.
            await Eventually.WaitAsync(() => Task.FromResult(Lab.WatchLog(observer)), log => log.Contains("automatic failover is paused (a maintenance window", StringComparison.Ordinal),
                "the observer's detector to see the silent primary and hold back", TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(10));

            (await LabDatabase.MasterAsync(observer)).Should().Be(primary, "nothing is promoted during maintenance");
            foreach (var standby in standbys)
                (await LabDatabase.LocalSqlAsync(standby, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("t", $"{standby} stays a standby");
            var during = await Lab.StatusJsonAsync(observer);
            during.GetProperty("degraded").GetBoolean().Should().BeTrue("the primary is down");
            during.GetProperty("maintenance").GetProperty("reason").GetString().Should().Be("lab: PostgreSQL restart");
            var table = await Lab.ExecAsync(observer, "hamanager", "status");
            table.ExitCode.Should().Be(4);
            table.StandardOutput.Should().Contain("MAINTENANCE: automatic failover, fencing and VIP moves are paused")
                .And.Contain("(maintenance is on: HaManager does not fail over, fence or move the VIP by itself until it ends)");

            var off = await Lab.ExecAsync(observer, "hamanager", "maintenance", "off");
            off.ExitCode.Should().Be(0, off.OutputTail());
            off.StandardOutput.Should().Contain("Maintenance is OFF");

            var newMaster = await Eventually.WaitAsync(() => LabDatabase.MasterAsync(observer), m => standbys.Contains(m), "the failure detector to promote a standby", TimeSpan.FromSeconds(60));
            (await LabDatabase.LocalSqlAsync(newMaster, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("f");
        }
        finally
        {
            await Lab.ExecAsync(observer, "hamanager", "maintenance", "off");
        }

        // The old primary is rejoined as a standby of the new one by its fencer: the whole cluster is healthy again.
        var healed = await LabDatabase.HealthyStatusAsync(observer, Settle);
        healed.GetProperty("maintenance").ValueKind.Should().Be(JsonValueKind.Null);
        healed.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == primary)
            .GetProperty("postgres").GetProperty("role").GetString().Should().Be("standby");
    }

    [Fact]
    public async Task ConfigSet_InvalidValueRefusedWithKvUnchanged_ValidAdvertIntervalRenderedOnEveryNode()
    {
        await LabDatabase.HealthyStatusAsync("n1", Settle);
        var before = (await Lab.ConsulKvAsync("n1", "get", "hamanager/config")).StandardOutput;

        var refused = await Lab.ExecAsync("n1", "hamanager", "config", "set", "advert_int_seconds=0");

        refused.ExitCode.Should().Be(2, refused.OutputTail());
        refused.StandardError.Should().Contain("advert_int_seconds 0 is outside 1-255").And.Contain("nothing was written");
        (await Lab.ConsulKvAsync("n1", "get", "hamanager/config")).StandardOutput.Should().Be(before);

        try
        {
            var set = await Lab.ExecAsync("n1", "hamanager", "config", "set", "advert_int_seconds=2");
            set.ExitCode.Should().Be(0, set.OutputTail());
            set.StandardOutput.Should().Contain("-  \"advert_int_seconds\": 1\n+  \"advert_int_seconds\": 2\n");
            foreach (var node in Nodes)
                await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllText(Lab.NodeFile(node, "etc/keepalived/keepalived.conf"))),
                    conf => conf.Contains("advert_int 2\n", StringComparison.Ordinal), $"advert_int 2 in {node}'s keepalived.conf", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await Lab.ExecAsync("n1", "hamanager", "config", "set", "advert_int_seconds=1");
            foreach (var node in Nodes)
                await Eventually.WaitAsync(() => Task.FromResult(File.ReadAllText(Lab.NodeFile(node, "etc/keepalived/keepalived.conf"))),
                    conf => conf.Contains("advert_int 1\n", StringComparison.Ordinal), $"advert_int 1 back in {node}'s keepalived.conf", TimeSpan.FromSeconds(30));
        }

        await LabDatabase.HealthyStatusAsync("n1", Settle);
    }

    private static int PostmasterPid(string node) =>
        int.Parse(File.ReadAllLines(Lab.NodeFile(node, "var/lib/postgresql/15/main/postmaster.pid"))[0], System.Globalization.CultureInfo.InvariantCulture);
}
