using System.Text;
using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

[Collection(ConsulDevAgentCollection.Name)]
public sealed class ConsulClientTxnTests(ConsulDevAgentFixture agent) : IDisposable
{
    private readonly ConsulClient _client = agent.CreateClient();
    private readonly string _prefix = $"txn/{Guid.NewGuid():N}/";

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task TxnAsync_AllOperationsValid_AppliesWritesAndReturnsResults()
    {
        await _client.PutAsync(_prefix + "existing", Bytes("old"));
        var existing = (await _client.GetAsync(_prefix + "existing")).Value!;

        var result = await _client.TxnAsync(
        [
            TxnOp.CheckNotExists(_prefix + "new"),
            TxnOp.Set(_prefix + "new", Bytes("n")),
            TxnOp.Cas(_prefix + "existing", Bytes("updated"), existing.ModifyIndex),
            TxnOp.Get(_prefix + "new"),
            TxnOp.Delete(_prefix + "absent"),
        ]);

        result.Success.Should().BeTrue();
        result.Errors.Should().BeEmpty();
        result.Results.Select(e => e.Key).Should().Equal(_prefix + "new", _prefix + "existing", _prefix + "new");
        result.Results[2].ValueAsString().Should().Be("n");
        (await _client.GetAsync(_prefix + "existing")).Value!.ValueAsString().Should().Be("updated");
    }

    [Fact]
    public async Task TxnAsync_CheckIndexMismatch_RollsBackWithErrorNamingOpIndex()
    {
        await _client.PutAsync(_prefix + "guard", Bytes("g"));
        var guard = (await _client.GetAsync(_prefix + "guard")).Value!;

        var result = await _client.TxnAsync(
        [
            TxnOp.Set(_prefix + "written-first", Bytes("x")),
            TxnOp.CheckIndex(_prefix + "guard", guard.ModifyIndex + 1000),
            TxnOp.Set(_prefix + "written-last", Bytes("y")),
        ]);

        result.Success.Should().BeFalse();
        result.Results.Should().BeEmpty();
        result.Errors.Should().ContainSingle().Which.OpIndex.Should().Be(1);
        result.Errors[0].What.Should().Contain(_prefix + "guard");
        (await _client.ListAsync(_prefix)).Value.Select(e => e.Key).Should().Equal([_prefix + "guard"], "a rolled-back transaction writes nothing");
    }

    [Fact]
    public async Task TxnAsync_DeleteCasWithCurrentIndex_DeletesKey()
    {
        await _client.PutAsync(_prefix + "k", Bytes("v"));
        var entry = (await _client.GetAsync(_prefix + "k")).Value!;

        var result = await _client.TxnAsync([TxnOp.DeleteCas(_prefix + "k", entry.ModifyIndex)]);

        result.Success.Should().BeTrue();
        (await _client.GetAsync(_prefix + "k")).Value.Should().BeNull();
    }

    [Fact]
    public async Task TxnAsync_NoOperations_ThrowsArgumentException()
    {
        var act = () => _client.TxnAsync([]);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task TxnAsync_TooManyOperations_ThrowsConsulRequestException()
    {
        var ops = Enumerable.Range(0, ConsulClient.MaxTxnOps + 1).Select(i => TxnOp.Set($"{_prefix}k{i}", Bytes("v"))).ToList();

        var act = () => _client.TxnAsync(ops);

        var ex = (await act.Should().ThrowAsync<ConsulRequestException>()).Which;
        ex.StatusCode.Should().Be(413);
        ex.Endpoint.Should().Be("PUT /v1/txn");
        ex.ResponseBody.Should().Contain("too many operations");
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
