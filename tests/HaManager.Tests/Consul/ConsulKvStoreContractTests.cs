using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

[Collection(ConsulDevAgentCollection.Name)]
public sealed class ConsulKvStoreContractTests(ConsulDevAgentFixture agent) : KvStoreContractTests, IDisposable
{
    private readonly ConsulClient _client = agent.CreateClient();

    protected override IKvStore Store => _client;

    public void Dispose() => _client.Dispose();
}
