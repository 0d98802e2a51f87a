namespace HaManager.Tests.Consul;

/// <summary>Tests that need Consul with ACLs (default deny), gossip encryption and TLS share one such agent.</summary>
[CollectionDefinition(Name)]
public sealed class SecureConsulCollection : ICollectionFixture<SecureConsulFixture>
{
    public const string Name = "Secure Consul agent";
}
