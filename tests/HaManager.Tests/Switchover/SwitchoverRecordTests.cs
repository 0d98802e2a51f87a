using System.Text;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Switchover;

public sealed class SwitchoverRecordTests
{
    private static readonly KvRecordCatalog Catalog = new(new KvKeys());

    private static KvValueError? Validate(string json) =>
        Catalog.Validate(new KvEntry("hamanager/switchover", Encoding.UTF8.GetBytes(json), 1, 1, 0, 0, null));

    private const string Valid = """{"from":"n1","to":"n2","by":"root@n3","phase":"stopped","started":"2026-11-29T07:00:00Z","deadline":"2026-11-29T07:02:00Z","stop_lsn":"0/5003908"}""";

    [Fact]
    public void Catalog_ValidRecord_Accepted() => Validate(Valid).Should().BeNull();

    [Theory]
    [InlineData("\"phase\":\"stopped\"", "\"phase\":\"done\"", "phase 'done' is not one of")]
    [InlineData("\"to\":\"n2\"", "\"to\":\"n1\"", "from and to are both n1")]
    [InlineData("\"stop_lsn\":\"0/5003908\"", "\"stop_lsn\":\"0/50039zz\"", "is not an LSN")]
    [InlineData(",\"stop_lsn\":\"0/5003908\"", "", "phase 'stopped' needs stop_lsn")]
    [InlineData("\"deadline\":\"2026-11-29T07:02:00Z\"", "\"deadline\":\"2026-11-29T06:00:00Z\"", "deadline must be after started")]
    [InlineData("\"to\":\"n2\"", "\"to\":\"n2; rm -rf /\"", "not a valid node name")]
    public void Catalog_InvalidRecord_RejectedWithTheReason(string field, string replacement, string reason) =>
        Validate(Valid.Replace(field, replacement, StringComparison.Ordinal))!.ToString().Should().Contain(reason);

    [Fact]
    public void IsActive_UntilTheDeadline_AndNotOnceSettled()
    {
        var record = KvJson.Parse<SwitchoverRecord>(new KvEntry("hamanager/switchover", Encoding.UTF8.GetBytes(Valid), 1, 1, 0, 0, null));
        record.IsActive(record.Started.AddSeconds(1)).Should().BeTrue();
        record.IsActive(record.Deadline).Should().BeFalse("an expired record is ignored");
        (record with { Phase = SwitchoverRecord.Promoted }).IsActive(record.Started).Should().BeFalse("after the promotion the old primary is fenced and rejoined as usual");
        (record with { Phase = SwitchoverRecord.RolledBack }).IsActive(record.Started).Should().BeFalse();
    }
}
