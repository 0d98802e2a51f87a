using HaManager.Cli.Status;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli;

public sealed class ClusterStatusReaderTests
{
    private readonly InMemoryKvStore _kv = new();

    [Fact]
    public async Task Read_OneMaster_IsHealthyAndNamesTheVipHolder()
    {
        await Seed(KeepalivedState.Master, KeepalivedState.Backup, KeepalivedState.Backup);
        var status = await ReadAsync();
        status.Degraded.Should().BeFalse(string.Join("; ", status.Problems));
        status.VipHolder.Should().Be("n1");
        status.Nodes.Select(n => (n.Name, n.Keepalived.Priority)).Should().Equal(("n1", 150), ("n2", 140), ("n3", 130));
    }

    [Fact]
    public async Task Read_NoMaster_IsDegraded()
    {
        await Seed(KeepalivedState.Backup, KeepalivedState.Backup, KeepalivedState.Fault);
        var status = await ReadAsync();
        status.Degraded.Should().BeTrue();
        status.VipHolder.Should().BeNull();
        status.Problems.Should().Contain(p => p.Contains("no node reports keepalived MASTER"));
    }

    [Fact]
    public async Task Read_TwoMasters_IsDegradedAndNamesBoth()
    {
        await Seed(KeepalivedState.Master, KeepalivedState.Master, KeepalivedState.Backup);
        var status = await ReadAsync();
        status.Degraded.Should().BeTrue();
        status.Problems.Should().Contain(p => p.Contains("n1, n2"));
    }

    [Fact]
    public async Task Read_InvalidValue_IsReportedWithItsKey()
    {
        await Seed(KeepalivedState.Master, KeepalivedState.Backup, KeepalivedState.Backup);
        await new ClusterSeed(_kv).RawAsync("hamanager/keepalived/nodes/n3", "[]");
        (await ReadAsync()).Problems.Should().Contain(p => p.Contains("hamanager/keepalived/nodes/n3"));
    }

    private async Task Seed(params KeepalivedState[] states)
    {
        var seed = await new ClusterSeed(_kv).ConfigAsync();
        for (var i = 0; i < states.Length; i++) await seed.NodeAsync($"n{i + 1}", $"10.231.0.{11 + i}", 150 - 10 * i, states[i]);
    }

    private Task<ClusterStatus> ReadAsync() => new ClusterStatusReader(_kv, new KvKeys()).ReadAsync(CancellationToken.None);
}
