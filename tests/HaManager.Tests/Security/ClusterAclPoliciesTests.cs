using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;

namespace HaManager.Tests.Security;

public sealed class ClusterAclPoliciesTests
{
    private readonly KvKeys _keys = new();

    [Fact]
    public void Node_Rules_AreExactlyTheNodesOwnRecordsSharedKeysAndReadOfTheRest()
    {
        var policy = ClusterAclPolicies.Node(_keys, NodeName.Parse("n1"));

        policy.Name.Should().Be("hamanager-node-n1");
        Lines(policy.Rules).Should().Equal(
            "# hamanager node n1: its agent, its own records, the shared keys it writes, read of the rest",
            "agent \"n1\" { policy = \"write\" }",
            "node \"n1\" { policy = \"write\" }",
            "node_prefix \"\" { policy = \"read\" }",
            "service_prefix \"\" { policy = \"read\" }",
            "session \"n1\" { policy = \"write\" }",
            "operator = \"read\"",
            "key_prefix \"hamanager/\" { policy = \"read\" }",
            "key \"hamanager/nodes/n1\" { policy = \"write\" }",
            "key \"hamanager/keepalived/nodes/n1\" { policy = \"write\" }",
            "key \"hamanager/postgres/nodes/n1\" { policy = \"write\" }",
            "key \"hamanager/pgbouncer/nodes/n1\" { policy = \"write\" }",
            "key \"hamanager/postgres/reinit/n1\" { policy = \"write\" }",
            "key \"hamanager/syncthing/devices/n1\" { policy = \"write\" }",
            "key \"hamanager/postgres/master\" { policy = \"write\" }",
            "key \"hamanager/switchover\" { policy = \"write\" }",
            "key_prefix \"hamanager/transitions/\" { policy = \"write\" }",
            "key_prefix \"hamanager/locks/\" { policy = \"write\" }",
            "key \"hamanager/secrets/ca\" { policy = \"deny\" }",
            "key_prefix \"hamanager/join/\" { policy = \"deny\" }");
    }

    [Fact]
    public void Node_Rules_NeverUseAPrefixRuleForTheNodesOwnRecords()
    {
        // key_prefix "hamanager/nodes/n1" would also let n1 write n10's record.
        var rules = ClusterAclPolicies.Node(_keys, NodeName.Parse("n1")).Rules;

        rules.Should().NotContain("key_prefix \"hamanager/nodes/n1\"").And.NotContain("key_prefix \"hamanager/keepalived/nodes/n1\"");
        rules.Should().NotContain("hamanager/config\" { policy = \"write\"");
        rules.Should().NotContain("acl");
    }

    [Fact]
    public void Operator_Rules_ReadEverythingButSecretsAndJoinTokensAndWriteNothing()
    {
        var policy = ClusterAclPolicies.Operator(_keys);

        policy.Name.Should().Be("hamanager-operator");
        policy.Rules.Should().Contain("key_prefix \"hamanager/\" { policy = \"read\" }")
            .And.Contain("key_prefix \"hamanager/secrets/\" { policy = \"deny\" }")
            .And.Contain("key_prefix \"hamanager/join/\" { policy = \"deny\" }")
            .And.Contain("operator = \"read\"")
            .And.NotContain("\"write\"");
    }

    [Fact]
    public void Join_Rules_AllowOnlyThatTokensRecord()
    {
        var id = JoinTokenId.Parse("0123456789abcdef");

        var policy = ClusterAclPolicies.Join(_keys, id);

        policy.Name.Should().Be("hamanager-join-0123456789abcdef");
        Lines(policy.Rules).Should().Equal(
            "# hamanager join token 0123456789abcdef: redeem this one token",
            "key \"hamanager/join/0123456789abcdef\" { policy = \"write\" }",
            "key \"hamanager/config\" { policy = \"read\" }");
    }

    [Fact]
    public void Admin_Rules_WriteThePrefixButNeverTheCaKeyJoinTokensOrSecrets()
    {
        var policy = ClusterAclPolicies.Admin(_keys);

        policy.Name.Should().Be("hamanager-admin");
        Lines(policy.Rules).Should().Equal(
            "# hamanager admin: the operations commands on a node; no CA key, no join tokens",
            "key_prefix \"hamanager/\" { policy = \"write\" }",
            "key_prefix \"hamanager/secrets/\" { policy = \"read\" }",
            "key \"hamanager/secrets/ca\" { policy = \"deny\" }",
            "key_prefix \"hamanager/join/\" { policy = \"deny\" }",
            "node_prefix \"\" { policy = \"read\" }",
            "agent_prefix \"\" { policy = \"write\" }",
            "service_prefix \"\" { policy = \"read\" }",
            "session_prefix \"\" { policy = \"write\" }",
            "operator = \"write\"");
        policy.Rules.Should().NotContain("acl");
    }

    [Fact]
    public void PolicyNames_AreValidConsulPolicyNames()
    {
        ConsulNames.IsValidPolicyName(ClusterAclPolicies.NodePolicyName(NodeName.Parse(new string('a', NodeName.MaxLength)))).Should().BeTrue();
        ConsulNames.IsValidPolicyName(ClusterAclPolicies.NodePolicyName(NodeName.Parse("node_2"))).Should().BeTrue();
        ConsulNames.IsValidPolicyName(ClusterAclPolicies.OperatorPolicyName).Should().BeTrue();
    }

    [Fact]
    public void Node_CustomPrefix_IsUsedEverywhere()
    {
        var rules = ClusterAclPolicies.Node(new KvKeys("clusters/prod"), NodeName.Parse("n1")).Rules;

        rules.Should().Contain("key_prefix \"clusters/prod/\" { policy = \"read\" }").And.NotContain("hamanager/");
    }

    [Theory]
    [InlineData("ham\"anager/")]
    [InlineData("a\\b/")]
    [InlineData("ha${x}/")]
    [InlineData("a/./b/")]
    public void Node_PrefixThatCouldEscapeTheRule_IsRefused(string prefix)
    {
        var render = () => ClusterAclPolicies.Node(new KvKeys(prefix), NodeName.Parse("n1"));

        render.Should().Throw<ArgumentException>().WithMessage("*cannot go into an ACL rule*");
    }

    [Fact]
    public void AclRules_NameWithQuote_IsRefused()
    {
        var rules = new AclRules();

        var add = () => rules.NodePrefix("x\" } key_prefix \"\" { policy = \"write", AclAccess.Read);

        add.Should().Throw<ArgumentException>();
        rules.ToString().Should().BeEmpty();
    }

    [Fact]
    public void AclRules_ListOnANode_IsRefused()
    {
        var add = () => new AclRules().Node(NodeName.Parse("n1"), AclAccess.List);

        add.Should().Throw<ArgumentException>();
    }

    private static string[] Lines(string rules) => rules.TrimEnd('\n').Split('\n');
}
