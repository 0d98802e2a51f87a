namespace HaManager.Tests.Consul;

/// <summary>Every test class using the real agent joins this collection, so they share one agent and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConsulDevAgentCollection : ICollectionFixture<ConsulDevAgentFixture>
{
    public const string Name = "Consul dev agent";
}
