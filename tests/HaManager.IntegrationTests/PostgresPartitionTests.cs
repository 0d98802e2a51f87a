using HaManager.IntegrationTests.Support;

namespace HaManager.IntegrationTests;

/// <summary>
/// The split-brain drill: the primary is cut off (its processes keep running, its PostgreSQL stays
/// writable), the majority promotes a standby; when the partition heals the old primary must notice
/// that KV names another master, fence itself and rejoin as a standby.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PostgresPartitionTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task PartitionedPrimary_IsFencedAndRejoins_AndNoWriteThroughAnyPgbouncerLandsOnIt()
    {
        var status = await LabDatabase.HealthyStatusAsync("n3", Settle);
        var old = status.GetProperty("postgres_master").GetString()!;
        var observer = Nodes.Last(n => n != old);
        var password = await LabDatabase.AppPasswordAsync();
        var dir = Directory.CreateTempSubdirectory("hamanager-partition-").FullName;
        var acks = Path.Combine(dir, "acks");
        var stop = Path.Combine(dir, "stop");
        using var writer = LabDatabase.StartWriter(observer, LabDatabase.ViaVip, password, acks, stop, 400);
        var writerOut = writer.StandardOutput.ReadToEndAsync();
        var writerErr = writer.StandardError.ReadToEndAsync();
        await Eventually.WaitAsync(() => File.Exists(acks) && File.ReadAllLines(acks).Length > 20, "acknowledged writes before the partition", TimeSpan.FromSeconds(60));

        var partitionedAt = DateTimeOffset.UtcNow;
        var partitioned = System.Diagnostics.Stopwatch.StartNew();
        (await Lab.RunAsync(TimeSpan.FromSeconds(30), "partition", old)).Succeeded.Should().BeTrue();
        string? newMaster = null;
        try
        {
            newMaster = await Eventually.WaitAsync(() => LabDatabase.MasterAsync(observer), m => m.Length > 0 && m != old, "the majority to register a new master", TimeSpan.FromSeconds(120));
            var newAddress = Lab.Address(newMaster);

            // Through the old primary's own pgbouncer, from inside the cut-off node: this must never become a row on the cluster.
            var marker = "fenced-" + Guid.NewGuid().ToString("N");
            await Lab.ExecAsync(old, "timeout", "8", "hamanager", "db", "psql", "--via", "local", "--", "-c",
                $"CREATE TABLE IF NOT EXISTS partition_probe (marker text); INSERT INTO partition_probe VALUES ('{marker}')");

            // Through every surviving pgbouncer: writes land on the new master.
            foreach (var survivor in Nodes.Where(n => n != old))
            {
                var landed = await Eventually.WaitAsync(() => Lab.ExecAsync(survivor, "timeout", "10", "hamanager", "db", "psql", "--via", "local", "--", "-tAX", "-c",
                        "CREATE TABLE IF NOT EXISTS partition_probe (marker text); INSERT INTO partition_probe VALUES ('survivor') RETURNING host(inet_server_addr())"),
                    r => r.Succeeded && r.StandardOutput.Contains(newAddress, StringComparison.Ordinal), $"a write through {survivor}'s pgbouncer to land on {newMaster}", TimeSpan.FromSeconds(60));
                landed.StandardOutput.Should().Contain(newAddress);
            }

            // A 30 s partition in all: long enough for the old primary to fence itself on its side.
            await Eventually.WaitAsync(() => partitioned.Elapsed >= TimeSpan.FromSeconds(30), "30 s of partition", TimeSpan.FromSeconds(60));
            (await Lab.RunAsync(TimeSpan.FromSeconds(30), "heal", old)).Succeeded.Should().BeTrue();
            var healed = await LabDatabase.HealthyStatusAsync(observer, Settle);
            healed.GetProperty("transitions").EnumerateArray()
                .Count(t => t.GetProperty("service").GetString() == "postgres" && t.GetProperty("to").GetString() == "PRIMARY" && t.GetProperty("at").GetDateTimeOffset() > partitionedAt)
                .Should().Be(1, "exactly one promotion for one partition");
            healed.GetProperty("postgres_master").GetString().Should().Be(newMaster);
            var oldNode = healed.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == old);
            oldNode.GetProperty("postgres").GetProperty("role").GetString().Should().Be("standby");
            (await LabDatabase.LocalSqlAsync(old, "SELECT pg_is_in_recovery()")).StandardOutput.Trim().Should().Be("t");
            healed.GetProperty("transitions").EnumerateArray().Should().Contain(t =>
                t.GetProperty("node").GetString() == old && t.GetProperty("service").GetString() == "postgres" && t.GetProperty("to").GetString() == "FENCED");

            var probe = await Lab.ExecAsync(observer, "hamanager", "db", "psql", "--via", "vip", "--", "-tAX", "-c", $"SELECT count(*) FROM partition_probe WHERE marker = '{marker}'");
            probe.Succeeded.Should().BeTrue(probe.OutputTail());
            probe.StandardOutput.Trim().Should().Be("0", "a write sent to the partitioned old primary must not survive");
        }
        finally
        {
            await Lab.RunAsync(TimeSpan.FromSeconds(30), "heal", old);
            File.WriteAllText(stop, "stop");
            await writer.WaitForExitAsync();
        }

        var verify = await LabDatabase.VerifyAsync(observer, LabDatabase.ViaVip, password, acks);
        verify.ExitCode.Should().Be(0, $"{verify.OutputTail()}\nwriter: {await writerOut}\n{(await writerErr)[^Math.Min(3000, (await writerErr).Length)..]}");
    }
}
