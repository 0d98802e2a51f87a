using System.Text.Json;
using HaManager.IntegrationTests.Support;

namespace HaManager.IntegrationTests;

/// <summary>
/// `hamanager switchover` (issue 11): a planned move of the primary loses no acknowledged write; a writer through
/// a node's pgbouncer sees a pause and no error, one through the VIP at most the reset of the VIP's move; the VIP
/// and the other nodes follow; a
/// switchover back needs no --to; a switchover to a stopped node is refused and changes nothing.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class SwitchoverTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task SwitchoverAndBack_NoAcknowledgedWriteLost_NoErrorThroughAPgbouncer_VipAndStandbysFollow()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var old = status.GetProperty("postgres_master").GetString()!;
        var target = Nodes.First(n => n != old);
        var observer = Nodes.First(n => n != old && n != target);
        var password = await LabDatabase.AppPasswordAsync();
        var dir = Directory.CreateTempSubdirectory("switchover-").FullName;
        var stop = Path.Combine(dir, "stop");
        // Through the observer's own pgbouncer the switchover must be a pause and nothing else. Through the VIP, the
        // VIP's move resets the TCP connection (the new holder has no state for it): at most one error per move.
        await using var local = await ClientAsync(observer, LabDatabase.ViaLocalPgbouncer, password, Path.Combine(dir, "acks-local"), stop, "drill_local");
        await using var viaVip = await ClientAsync(observer, LabDatabase.ViaVip, password, Path.Combine(dir, "acks-vip"), stop, "drill_vip");

        var there = await Lab.ExecAsync(observer, "hamanager", "switchover", "--to", target, "--yes", "--json");
        there.ExitCode.Should().Be(0, there.StandardError);
        var result = JsonDocument.Parse(there.StandardOutput).RootElement;
        result.GetProperty("outcome").GetString().Should().Be("switched");
        result.GetProperty("to").GetString().Should().Be(target);
        await ExpectPrimaryAsync(target, observer);

        // Back without --to: the most advanced healthy standby (old or observer) becomes the primary.
        var back = await Lab.ExecAsync(target, "hamanager", "switchover", "--yes");
        back.ExitCode.Should().Be(0, back.StandardOutput + back.StandardError);
        back.StandardOutput.Should().Contain("clients paused").And.Contain("switched over from " + target);
        var second = await LabDatabase.MasterAsync(observer);
        second.Should().NotBe(target);
        await ExpectPrimaryAsync(second, observer);

        await File.WriteAllTextAsync(stop, "stop");
        foreach (var client in new[] { local, viaVip })
        {
            var (output, errors) = await client.StopAsync();
            var verify = await LabDatabase.VerifyAsync(observer, LabDatabase.ViaVip, password, client.Acks, client.Table);
            verify.StandardOutput.Should().Contain("missing 0", $"no acknowledged write is lost ({client.Name})");
            WriterOutages.Parse(output).Should().NotContain(o => o.End == null, $"writes resume after the switchovers ({client.Name})");
            var failures = errors.Split('\n').Where(l => l.Contains(" failed: ", StringComparison.Ordinal)).ToList();
            if (client == local) failures.Should().BeEmpty("clients of a node's pgbouncer see a pause, never an error:\n" + errors);
            else failures.Count.Should().BeLessThanOrEqualTo(2, "the VIP moved twice; each move may reset the open connection once, nothing else:\n" + errors);
        }
    }

    /// <summary>A writer inside <paramref name="node"/> that is already acknowledging writes.</summary>
    private static async Task<Client> ClientAsync(string node, string connection, string password, string acks, string stop, string table)
    {
        var writer = LabDatabase.StartWriter(node, connection, password, acks, stop, 600, table);
        var client = new Client(connection == LabDatabase.ViaVip ? "through the VIP" : $"through {node}'s pgbouncer", writer, acks, table,
            writer.StandardOutput.ReadToEndAsync(), writer.StandardError.ReadToEndAsync());
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(acks) ? File.ReadAllLines(acks).Length : 0), n => n > 20,
            $"the writer {client.Name} to get going", TimeSpan.FromSeconds(30));
        return client;
    }

    private sealed record Client(string Name, System.Diagnostics.Process Writer, string Acks, string Table, Task<string> Output, Task<string> Errors) : IAsyncDisposable
    {
        public async Task<(string Output, string Errors)> StopAsync()
        {
            await Writer.WaitForExitAsync();
            return (await Output, await Errors);
        }

        public ValueTask DisposeAsync()
        {
            if (!Writer.HasExited) Writer.Kill(entireProcessTree: true);
            Writer.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task SwitchoverToAStoppedNode_IsRefusedWithAClearMessage_AndChangesNothing()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var primary = status.GetProperty("postgres_master").GetString()!;
        var stopped = Nodes.First(n => n != primary);
        var asker = Nodes.First(n => n != primary && n != stopped);
        var transitionsBefore = (await Lab.ConsulKvAsync(asker, "get", "-recurse", "-keys", "hamanager/transitions/")).StandardOutput;
        try
        {
            // A stopped node: its link down and every process in it killed (a stopped PostgreSQL alone is restarted by its watcher within seconds).
            (await Lab.RunAsync(TimeSpan.FromSeconds(60), "kill", stopped)).Succeeded.Should().BeTrue();
            var refused = await Lab.ExecAsync(asker, "hamanager", "switchover", "--to", stopped, "--yes");
            refused.ExitCode.Should().Be(6, refused.StandardOutput + refused.StandardError);
            refused.StandardError.Should().Contain($"switchover refused: {stopped} cannot become the primary");
            (await LabDatabase.MasterAsync(asker)).Should().Be(primary);
            (await Lab.ConsulKvAsync(asker, "get", "hamanager/switchover")).Succeeded.Should().BeFalse("a refused switchover writes no record");
            (await Lab.ConsulKvAsync(asker, "get", "-recurse", "-keys", "hamanager/transitions/")).StandardOutput.Should().Be(transitionsBefore);
            (await LabDatabase.LocalSqlAsync(primary, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("f");
        }
        finally
        {
            await Lab.RunAsync(TimeSpan.FromMinutes(5), "revive", stopped);
            await LabDatabase.HealthyStatusAsync(asker, Settle);
        }

        // On a healthy cluster, a switchover that nobody confirmed (no terminal, no --yes) is refused as invalid input.
        var unconfirmed = await Lab.ExecAsync(asker, "hamanager", "switchover");
        unconfirmed.ExitCode.Should().Be(2, unconfirmed.StandardError);
        unconfirmed.StandardError.Should().Contain("pass --yes");
        (await LabDatabase.MasterAsync(asker)).Should().Be(primary);
    }

    private static async Task ExpectPrimaryAsync(string primary, string observer)
    {
        (await LabDatabase.MasterAsync(observer)).Should().Be(primary);
        (await Lab.VipHoldersAsync(Nodes)).Should().Equal([primary], "the VIP follows the new primary");
        var status = await LabDatabase.HealthyStatusAsync(observer, Settle);
        foreach (var node in status.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("name").GetString() != primary))
        {
            node.GetProperty("postgres").GetProperty("role").GetString().Should().Be("standby");
            node.GetProperty("postgres").GetProperty("upstream").GetString().Should().Be(primary);
        }
    }
}
