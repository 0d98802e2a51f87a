using System.Text;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;

namespace HaManager.Tests.Consul;

[Collection(SecureConsulCollection.Name)]
public sealed class SecureConsulAclTests(SecureConsulFixture agent) : IDisposable
{
    private readonly ConsulClient _management = agent.CreateClient(agent.ManagementToken);
    private readonly ConsulClient _anonymous = agent.CreateClient(null);
    private readonly KvKeys _keys = new($"acl-{Guid.NewGuid():N}/");

    public void Dispose()
    {
        _management.Dispose();
        _anonymous.Dispose();
    }

    [Fact]
    public async Task AclBootstrap_Again_ReturnsNullAndTheFirstTokenIsManagement()
    {
        (await _management.AclBootstrapAsync()).Should().BeNull();

        var self = await _management.AclTokenReadSelfAsync();

        self.PolicyNames.Should().Contain("global-management");
        self.SecretId.Should().Be(agent.ManagementToken);
    }

    [Fact]
    public async Task Anonymous_ReadingSecretsOrWritingAnyKey_IsForbidden()
    {
        await _management.PutAsync(_keys.PostgresSecrets, "{}"u8.ToArray());

        var read = () => _anonymous.GetAsync(_keys.PostgresSecrets);
        var write = () => _anonymous.PutAsync(_keys.PostgresMaster, "{}"u8.ToArray());

        (await read.Should().ThrowAsync<ConsulRequestException>()).Which.StatusCode.Should().Be(403);
        (await write.Should().ThrowAsync<ConsulRequestException>()).Which.StatusCode.Should().Be(403);
    }

    [Fact]
    public async Task Anonymous_Token_HasNoPolicies()
    {
        var anonymous = await _management.AclTokenReadAsync(ConsulClient.AnonymousTokenAccessorId);

        anonymous!.PolicyNames.Should().BeEmpty();
    }

    [Fact]
    public async Task NodeToken_WritesItsOwnRecordsAndSharedKeys()
    {
        var node = UniqueNode();
        using var client = await NodeClientAsync(node);

        (await client.PutAsync(_keys.KeepalivedNode(node), Json("{\"priority\":150}"))).Should().BeTrue();
        (await client.PutAsync(_keys.Node(node), Json("{}"))).Should().BeTrue();
        (await client.PutAsync(_keys.PostgresMaster, Json("{}"))).Should().BeTrue();
        (await client.PutAsync(_keys.Transition(DateTimeOffset.UtcNow, node, "keepalived"), Json("{}"), 0)).Should().BeTrue();
    }

    [Fact]
    public async Task NodeToken_WritingAnotherNodesKeepalivedRecord_IsForbidden()
    {
        var node = UniqueNode();
        var other = NodeName.Parse(node.Value + "0");
        using var client = await NodeClientAsync(node);

        var write = () => client.PutAsync(_keys.KeepalivedNode(other), Json("{\"priority\":200}"));

        (await write.Should().ThrowAsync<ConsulRequestException>()).Which.StatusCode.Should().Be(403);
        (await _management.GetAsync(_keys.KeepalivedNode(other))).Value.Should().BeNull();
    }

    [Fact]
    public async Task NodeToken_ReadsPostgresSecretsButNotTheCaNorJoinTokensNorWritesConfig()
    {
        var node = UniqueNode();
        await _management.PutAsync(_keys.PostgresSecrets, Json("{\"repmgr_password\":\"x\"}"));
        await _management.PutAsync(_keys.CertificateAuthority, Json("{}"));
        await _management.PutAsync(_keys.JoinToken(JoinTokenId.New()), Json("{}"));
        using var client = await NodeClientAsync(node);

        (await client.GetAsync(_keys.PostgresSecrets)).Value.Should().NotBeNull();
        (await ForbiddenAsync(() => client.GetAsync(_keys.CertificateAuthority))).Should().BeTrue();
        (await client.ListAsync(_keys.JoinTokensPrefix)).Value.Should().BeEmpty();
        (await ForbiddenAsync(() => client.PutAsync(_keys.Config, Json("{}")))).Should().BeTrue();
    }

    [Fact]
    public async Task NodeToken_OfTheAgentsNode_TakesTheBootstrapLock()
    {
        using var client = await NodeClientAsync(NodeName.Parse(agent.NodeName));

        var session = await client.CreateSessionAsync(new SessionRequest("bootstrap", TimeSpan.FromSeconds(15), SessionBehavior.Release, TimeSpan.Zero));

        (await client.AcquireAsync(_keys.BootstrapLock, Json("{}"), session)).Should().BeTrue();
        await client.DestroySessionAsync(session);
    }

    [Fact]
    public async Task OperatorToken_ReadsStatusKeysButNoSecretsAndWritesNothing()
    {
        await _management.PutAsync(_keys.Config, Json("{}"));
        await _management.PutAsync(_keys.PostgresSecrets, Json("{}"));
        await _management.AclPolicyUpsertAsync(ClusterAclPolicies.Operator(_keys));
        var token = await _management.AclTokenCreateAsync(new AclTokenRequest { Description = "operator", PolicyNames = [ClusterAclPolicies.OperatorPolicyName] });
        using var client = agent.CreateClient(token.SecretId);

        (await client.GetAsync(_keys.Config)).Value.Should().NotBeNull();
        (await client.ListAsync(_keys.Prefix)).Value.Select(e => e.Key).Should().Equal(_keys.Config);
        (await ForbiddenAsync(() => client.GetAsync(_keys.PostgresSecrets))).Should().BeTrue();
        (await ForbiddenAsync(() => client.PutAsync(_keys.Config, Json("{}")))).Should().BeTrue();
        (await client.RaftConfigurationAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task PolicyUpsert_SameDefinitionTwice_KeepsThePolicyChangedRules_UpdatesIt()
    {
        var name = "test-" + Guid.NewGuid().ToString("N");
        var definition = new AclPolicyDefinition(name, "first", new AclRules().KeyPrefix(_keys.Prefix, AclAccess.Read).ToString());

        var created = await _management.AclPolicyUpsertAsync(definition);
        var again = await _management.AclPolicyUpsertAsync(definition);
        var changed = await _management.AclPolicyUpsertAsync(definition with { Rules = new AclRules().KeyPrefix(_keys.Prefix, AclAccess.Write).ToString() });

        again.Should().Be(created);
        changed.Id.Should().Be(created.Id);
        changed.Rules.Should().Contain("write");
        (await _management.AclPolicyReadByNameAsync(name))!.ModifyIndex.Should().Be(changed.ModifyIndex);
    }

    [Fact]
    public async Task PolicyReadByName_Unknown_IsNullAndDeleteMakesItUnknown()
    {
        var created = await _management.AclPolicyCreateAsync(new AclPolicyDefinition("test-" + Guid.NewGuid().ToString("N"), string.Empty, string.Empty));

        await _management.AclPolicyDeleteAsync(created.Id);
        await _management.AclPolicyDeleteAsync(created.Id);

        (await _management.AclPolicyReadByNameAsync(created.Name)).Should().BeNull();
    }

    [Fact]
    public async Task PolicyCreate_InvalidRules_IsARequestErrorNotAnOutage()
    {
        var create = () => _management.AclPolicyCreateAsync(new AclPolicyDefinition("test-" + Guid.NewGuid().ToString("N"), string.Empty, "key \"a\" { policy = \"sudo\" }"));

        await create.Should().ThrowAsync<ConsulRequestException>();
    }

    [Fact]
    public async Task PolicyRead_WithoutAclPermission_IsForbiddenNotNull()
    {
        var read = () => _anonymous.AclPolicyReadByNameAsync("global-management");

        (await read.Should().ThrowAsync<ConsulRequestException>()).Which.StatusCode.Should().Be(403);
    }

    [Fact]
    public async Task Token_CreateReadDelete_RoundTripsAndExpires()
    {
        var secret = Guid.NewGuid().ToString("D");
        var created = await _management.AclTokenCreateAsync(new AclTokenRequest
        {
            Description = "round trip",
            PolicyNames = ["global-management"],
            ExpirationTtl = TimeSpan.FromMinutes(5),
            SecretId = secret,
        });

        var read = await _management.AclTokenReadAsync(created.AccessorId);
        await _management.AclTokenDeleteAsync(created.AccessorId);
        await _management.AclTokenDeleteAsync(created.AccessorId);

        created.SecretId.Should().Be(secret);
        read!.Description.Should().Be("round trip");
        read.PolicyNames.Should().Equal("global-management");
        read.ExpirationTime.Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromMinutes(1));
        (await _management.AclTokenReadAsync(created.AccessorId)).Should().BeNull();
        created.ToString().Should().NotContain(secret);
    }

    private async Task<ConsulClient> NodeClientAsync(NodeName node)
    {
        await _management.AclPolicyUpsertAsync(ClusterAclPolicies.Node(_keys, node));
        var token = await _management.AclTokenCreateAsync(new AclTokenRequest { Description = "node " + node, PolicyNames = [ClusterAclPolicies.NodePolicyName(node)] });
        return agent.CreateClient(token.SecretId);
    }

    private static async Task<bool> ForbiddenAsync(Func<Task> call)
    {
        try
        {
            await call();
            return false;
        }
        catch (ConsulRequestException e) when (e.StatusCode == 403)
        {
            return true;
        }
    }

    private static NodeName UniqueNode() => NodeName.Parse("n" + Random.Shared.Next(100, 999_999));

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}
