using System.Text;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Json;

public sealed class KvJsonTests
{
    private const string Key = "hamanager/keepalived/nodes/n3";

    [Fact]
    public void TryParse_ValidKeepalivedRecord_Succeeds()
    {
        Parse<KeepalivedNodeRecord>("""{"priority":130,"state":"BACKUP","since":"2026-01-01T00:00:00Z"}""", out var record).Should().BeNull();
        record!.Priority.Should().Be(130);
        record.State.Should().Be(KeepalivedState.Backup);
    }

    [Theory]
    [InlineData("{not json", "'")]
    [InlineData("null", "JSON null")]
    [InlineData("""{"state":"BACKUP"}""", "priority")]
    [InlineData("""{"priority":"high"}""", "priority")]
    [InlineData("""{"priority":300}""", "outside 1-254")]
    [InlineData("""{"priority":100,"state":"BOSS"}""", "state")]
    public void TryParse_InvalidKeepalivedRecord_NamesKeyAndReason(string json, string reasonFragment)
    {
        var error = Parse<KeepalivedNodeRecord>(json, out var record);
        record.Should().BeNull();
        error!.Key.Should().Be(Key);
        error.ToString().Should().Contain(Key);
        error.Reason.Should().Contain(reasonFragment);
    }

    [Theory]
    [InlineData("""{"name":"n1\n}","address":"10.0.0.1","joined_at":"2026-01-01T00:00:00Z","version":"1"}""", "node name")]
    [InlineData("""{"name":"n1","address":"10.0.0.1; rm -rf /","joined_at":"2026-01-01T00:00:00Z","version":"1"}""", "IP address")]
    [InlineData("""{"name":"n1","address":null,"joined_at":"2026-01-01T00:00:00Z","version":"1"}""", "IP address")]
    [InlineData("""{"name":"n1","joined_at":"2026-01-01T00:00:00Z","version":"1"}""", "address")]
    public void TryParse_NodeRecordWithUnsafeValue_IsRejected(string json, string reasonFragment)
    {
        var error = Parse<NodeRecord>(json, out var record);
        record.Should().BeNull();
        error!.Reason.Should().Contain(reasonFragment);
    }

    [Fact]
    public void Serialize_ClusterConfig_RoundTripsWithSnakeCaseNames()
    {
        var config = new ClusterConfig { VirtualIp = Cidr.Parse("10.231.0.100/24"), CreatedBy = NodeName.Parse("n1"), CreatedAt = DateTimeOffset.UnixEpoch };
        var json = Encoding.UTF8.GetString(KvJson.Serialize(config));
        json.Should().Contain("\"virtual_ip\":\"10.231.0.100/24\"").And.Contain("\"vrrp_router_id\":51")
            .And.Contain("\"replicated_folders\":[{\"id\":\"resources\",\"path\":\"/opt/manager/resources\"}");
        KvJson.TryParse<ClusterConfig>("k", Encoding.UTF8.GetBytes(json), out var back, out _).Should().BeTrue();
        back.Should().BeEquivalentTo(config); // the folder list makes record equality reference-based
    }

    [Fact]
    public void TryParse_ClusterConfigWithInvalidVirtualIp_IsRejected()
    {
        var error = Parse<ClusterConfig>("""{"virtual_ip":"10.0.0.100","created_by":"n1","created_at":"2026-01-01T00:00:00Z"}""", out _);
        error!.Reason.Should().Contain("CIDR");
    }

    private static KvValueError? Parse<T>(string json, out T? record) where T : class, IKvRecord
    {
        KvJson.TryParse(Key, Encoding.UTF8.GetBytes(json), out record, out var error);
        return error;
    }
}
