using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;

namespace HaManager.Tests.Consul;

/// <summary>The join exchange against real Consul ACLs: everything a joining node does, it does with the join token alone.</summary>
[Collection(SecureConsulCollection.Name)]
public sealed class SecureConsulJoinTests : IAsyncLifetime
{
    private readonly SecureConsulFixture _agent;
    private readonly ConsulClient _management;
    private readonly KvKeys _keys = new($"join-{Guid.NewGuid():N}/");
    private readonly NodeName _node = NodeName.Parse("n" + Random.Shared.Next(100, 999_999));

    public SecureConsulJoinTests(SecureConsulFixture agent)
    {
        _agent = agent;
        _management = agent.CreateClient(agent.ManagementToken);
    }

    public async Task InitializeAsync()
    {
        // The cluster's trust as init stores it; the fixture's CA, so the agent's HTTPS certificate matches the pin.
        await _management.PutAsync(_keys.CertificateAuthority, KvJson.Serialize(_agent.Ca.Export()), 0);
        await _management.PutAsync(_keys.GossipKey, KvJson.Serialize(_agent.GossipKey), 0);
    }

    public Task DisposeAsync()
    {
        _management.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Redeem_WithTheJoinTokenAlone_GivesAWorkingNodeTokenAndCertificate()
    {
        var secret = await Issuer().CreateAsync(_node, IPAddress.Loopback, SecureConsulFixture.Datacenter, TimeSpan.FromMinutes(10));
        var presented = JoinSecret.Parse(secret.Reveal());

        using var joining = JoiningClient(presented);
        var payload = await new JoinTokenStore(joining, _keys).RedeemAsync(presented);

        payload.Node.Should().Be(_node);
        payload.GossipKey.Key.Should().Be(_agent.GossipKey.Key);
        payload.CaCertificatePem.Should().Be(_agent.Ca.CertificatePem);
        using (var certificate = payload.ServerCertificate.ToCertificate())
        {
            certificate.MatchesHostname("server.dc1.consul").Should().BeTrue();
        }

        using var asNode = _agent.CreateClient(payload.NodeAclToken);
        (await asNode.PutAsync(_keys.KeepalivedNode(_node), "{}"u8.ToArray())).Should().BeTrue();
    }

    [Fact]
    public async Task Redeem_Twice_IsRefused()
    {
        var secret = await Issuer().CreateAsync(_node, IPAddress.Loopback, SecureConsulFixture.Datacenter, TimeSpan.FromMinutes(10));
        using var joining = JoiningClient(secret);
        await new JoinTokenStore(joining, _keys).RedeemAsync(secret);

        var again = () => new JoinTokenStore(joining, _keys).RedeemAsync(secret);

        (await again.Should().ThrowAsync<JoinTokenException>()).Which.Reason.Should().Be(JoinTokenRefusal.AlreadyUsed);
    }

    [Fact]
    public async Task Redeem_WrongSecretForTheId_IsRefusedByConsul()
    {
        var secret = await Issuer().CreateAsync(_node, IPAddress.Loopback, SecureConsulFixture.Datacenter, TimeSpan.FromMinutes(10));
        var parts = secret.Reveal().Split('.');
        var forged = JoinSecret.Parse($"{parts[0]}.{parts[1]}.{JoinSecret.Create(parts[3]).Reveal().Split('.')[2]}.{parts[3]}");
        using var joining = JoiningClient(forged);

        var redeem = () => new JoinTokenStore(joining, _keys).RedeemAsync(forged);

        (await redeem.Should().ThrowAsync<JoinTokenException>()).Which.Reason.Should().Be(JoinTokenRefusal.RefusedByConsul);
    }

    [Fact]
    public async Task JoinToken_ReadsOnlyItsOwnRecord()
    {
        await _management.PutAsync(_keys.PostgresSecrets, "{}"u8.ToArray());
        var secret = await Issuer().CreateAsync(_node, IPAddress.Loopback, SecureConsulFixture.Datacenter, TimeSpan.FromMinutes(10));
        using var joining = JoiningClient(secret);

        var read = () => joining.GetAsync(_keys.PostgresSecrets);

        (await read.Should().ThrowAsync<ConsulRequestException>()).Which.StatusCode.Should().Be(403);
    }

    [Fact]
    public async Task Sweep_AfterUse_RemovesTheRecordAndTheJoinPolicyAndToken()
    {
        var issuer = Issuer();
        var secret = await issuer.CreateAsync(_node, IPAddress.Loopback, SecureConsulFixture.Datacenter, TimeSpan.FromMinutes(10));
        using (var joining = JoiningClient(secret))
        {
            await new JoinTokenStore(joining, _keys).RedeemAsync(secret);
        }

        var swept = await issuer.SweepAsync();

        swept.Select(s => s.Id).Should().Equal(secret.Id);
        (await _management.AclPolicyReadByNameAsync(ClusterAclPolicies.JoinPolicyName(secret.Id))).Should().BeNull();
        (await _management.AclTokenReadAsync(swept[0].JoinTokenAccessor!)).Should().BeNull();
        (await _management.GetAsync(_keys.JoinToken(secret.Id))).Value.Should().BeNull();
    }

    private JoinTokenIssuer Issuer() => new(_management, _keys);

    /// <summary>What a joining node has: the join token. It trusts the CA by the token's pin and authenticates with the derived ACL token.</summary>
    private ConsulClient JoiningClient(JoinSecret secret) => _agent.CreateHttpsClient(
        secret.ConsulTokenSecretId,
        // The lab agent verifies HTTPS clients too; production leaves verify_incoming_https off for this reason.
        _agent.OperatorTls with { CaFile = null, CaPublicKeyPin = secret.CaPin });
}
