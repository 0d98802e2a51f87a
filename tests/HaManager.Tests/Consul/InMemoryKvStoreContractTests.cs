using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

public sealed class InMemoryKvStoreContractTests : KvStoreContractTests
{
    protected override IKvStore Store { get; } = new InMemoryKvStore();
}
