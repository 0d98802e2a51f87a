using HaManager.Cluster.Consul;
using HaManager.Cluster.Security;
using HaManager.Tests.Support;
using HaManager.Watchers.Files;

namespace HaManager.Tests.Consul;

[Collection(SecureConsulCollection.Name)]
public sealed class SecureConsulTlsTests(SecureConsulFixture agent) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Agent_StartedWithOurGossipKeyAndCertificates_ReportsEncryptionOn()
    {
        // Consul's banner shows only the catch-all verify_incoming as TLS-Incoming; verify_incoming_rpc/_https are set.
        agent.StartupOutput.Should().Contain("Encrypt: Gossip: true, TLS-Outgoing: true");
    }

    [Fact]
    public async Task Https_ClusterCaAndOperatorCertificate_Works()
    {
        using var client = agent.CreateHttpsClient(agent.ManagementToken, agent.OperatorTls);

        (await client.AclTokenReadSelfAsync()).PolicyNames.Should().Contain("global-management");
    }

    [Fact]
    public async Task Https_FromTheEnvironmentLikeTheConsulCli_Works()
    {
        var tokenFile = _dir.File("token");
        await File.WriteAllTextAsync(tokenFile, agent.ManagementToken + "\n");
        var environment = new Dictionary<string, string>
        {
            ["CONSUL_HTTP_ADDR"] = $"{agent.HttpsAddress.Host}:{agent.HttpsAddress.Port}",
            ["CONSUL_HTTP_SSL"] = "true",
            ["CONSUL_HTTP_TOKEN_FILE"] = tokenFile,
            ["CONSUL_CACERT"] = agent.CaFile,
            ["CONSUL_CLIENT_CERT"] = agent.ClientCertificateFile,
            ["CONSUL_CLIENT_KEY"] = agent.ClientKeyFile,
        };

        using var client = new ConsulClient(ConsulEnvironment.Apply(new ConsulClientOptions(), name => environment.GetValueOrDefault(name)));

        (await client.AclTokenReadSelfAsync()).SecretId.Should().Be(agent.ManagementToken);
    }

    [Fact]
    public async Task Https_CaPathDirectory_Works()
    {
        using var other = CertificateAuthority.Create(DateTimeOffset.UtcNow);
        await AtomicFile.WriteAsync(_dir.File("cas/a-other.pem"), other.CertificatePem);
        await AtomicFile.WriteAsync(_dir.File("cas/b-cluster.crt"), await File.ReadAllTextAsync(agent.CaFile));
        using var client = agent.CreateHttpsClient(agent.ManagementToken, agent.OperatorTls with { CaFile = null, CaPath = _dir.File("cas") });

        (await client.StatusLeaderAsync()).Should().NotBeNull();
    }

    [Fact]
    public async Task Https_AnotherClustersCa_FailsWithATlsError()
    {
        using var other = CertificateAuthority.Create(DateTimeOffset.UtcNow);
        var otherCa = _dir.File("other-ca.pem");
        await AtomicFile.WriteAsync(otherCa, other.CertificatePem);
        using var client = agent.CreateHttpsClient(agent.ManagementToken, agent.OperatorTls with { CaFile = otherCa });

        var call = () => client.StatusLeaderAsync();

        (await call.Should().ThrowAsync<ConsulTlsException>()).Which.Message.Should().Contain("not trusted");
    }

    [Fact]
    public async Task Https_SystemTrustStoreOnly_FailsWithATlsError()
    {
        using var client = agent.CreateHttpsClient(agent.ManagementToken, null);

        var call = () => client.StatusLeaderAsync();

        await call.Should().ThrowAsync<ConsulTlsException>();
    }

    [Fact]
    public async Task Https_WithoutClientCertificate_IsRefusedWhenTheAgentVerifiesClients()
    {
        using var client = agent.CreateHttpsClient(agent.ManagementToken, new ConsulTlsOptions { CaFile = agent.CaFile });

        var call = () => client.StatusLeaderAsync();

        await call.Should().ThrowAsync<ConsulException>();
    }

    [Fact]
    public async Task Https_ServerNameOfTheConsulServers_Works()
    {
        using var client = agent.CreateHttpsClient(agent.ManagementToken, agent.OperatorTls with { ServerName = CertificateAuthority.ServerName(SecureConsulFixture.Datacenter) });

        (await client.StatusLeaderAsync()).Should().NotBeNull();
    }

    [Fact]
    public async Task Https_ServerNameTheCertificateDoesNotCarry_FailsWithATlsError()
    {
        using var client = agent.CreateHttpsClient(agent.ManagementToken, agent.OperatorTls with { ServerName = "server.dc2.consul" });

        var call = () => client.StatusLeaderAsync();

        (await call.Should().ThrowAsync<ConsulTlsException>()).Which.Message.Should().Contain("does not name 'server.dc2.consul'");
    }

    [Fact]
    public async Task Https_PinnedCaFromTheHandshake_WorksWithoutACaFile()
    {
        using var client = agent.CreateHttpsClient(agent.ManagementToken, agent.OperatorTls with { CaFile = null, CaPublicKeyPin = agent.Ca.PublicKeyPin });

        (await client.StatusLeaderAsync()).Should().NotBeNull();
    }

    [Fact]
    public async Task Https_PinOfAnotherCa_FailsWithATlsError()
    {
        using var other = CertificateAuthority.Create(DateTimeOffset.UtcNow);
        using var client = agent.CreateHttpsClient(agent.ManagementToken, agent.OperatorTls with { CaFile = null, CaPublicKeyPin = other.PublicKeyPin });

        var call = () => client.StatusLeaderAsync();

        (await call.Should().ThrowAsync<ConsulTlsException>()).Which.Message.Should().Contain("pinned public key");
    }
}
