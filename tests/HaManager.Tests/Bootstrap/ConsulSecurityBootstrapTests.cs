using System.Net;
using System.Text.Json;
using HaManager.Bootstrap;
using HaManager.Bootstrap.Consul;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;
using HaManager.Cluster.Settings;
using HaManager.Tests.Support;

namespace HaManager.Tests.Bootstrap;

/// <summary>What bootstrap writes for Consul: the secured agent configuration and the node's credential files.</summary>
public sealed class ConsulSecurityBootstrapTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConsulCredentials _credentials = new(GossipKey.Generate(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ServerConfig_IsSecuredByDefault_AclDenyGossipEncryptionMutualTlsAndHttpOnLoopbackOnly()
    {
        var consul = new ConsulOptions { SecretsDir = "/etc/hamanager/consul" };

        var json = JsonDocument.Parse(ConsulServerConfig.Render(NodeName.Parse("n2"), IPAddress.Parse("10.0.0.12"), consul, [IPAddress.Parse("10.0.0.11")], _credentials)).RootElement;

        json.GetProperty("encrypt").GetString().Should().Be(_credentials.GossipKey.Key);
        json.GetProperty("verify_incoming_rpc").GetBoolean().Should().BeTrue();
        json.GetProperty("verify_outgoing").GetBoolean().Should().BeTrue();
        json.GetProperty("verify_server_hostname").GetBoolean().Should().BeTrue();
        json.GetProperty("ca_file").GetString().Should().Be("/etc/hamanager/consul/tls/ca.pem");
        json.GetProperty("cert_file").GetString().Should().Be("/etc/hamanager/consul/tls/server.pem");
        json.GetProperty("key_file").GetString().Should().Be("/etc/hamanager/consul/tls/server-key.pem");
        json.GetProperty("client_addr").GetString().Should().Be("127.0.0.1");
        json.GetProperty("addresses").GetProperty("http").GetString().Should().Be("127.0.0.1", "plain HTTP never leaves the machine");
        json.GetProperty("addresses").GetProperty("https").GetString().Should().Be("10.0.0.12");
        json.GetProperty("ports").GetProperty("https").GetInt32().Should().Be(8501);
        var acl = json.GetProperty("acl");
        acl.GetProperty("enabled").GetBoolean().Should().BeTrue();
        acl.GetProperty("default_policy").GetString().Should().Be("deny");
        acl.GetProperty("down_policy").GetString().Should().Be("extend-cache");
        acl.GetProperty("tokens").GetProperty("agent").GetString().Should().Be(_credentials.NodeToken);
        json.GetProperty("retry_join").EnumerateArray().Select(e => e.GetString()).Should().Equal("10.0.0.11");
    }

    [Fact]
    public async Task Credentials_WrittenRootOnly_AndReadBack()
    {
        var files = new ConsulSecretFiles(_dir.File("consul"));
        using var ca = CertificateAuthority.Create(DateTimeOffset.UtcNow);
        var server = ca.IssueServer(NodeName.Parse("n1"), IPAddress.Parse("10.0.0.11"), "dc1", DateTimeOffset.UtcNow);

        ConsulCredentials.Load(files).Should().BeNull("nothing was written yet");
        await _credentials.WriteAsync(files, ca.CertificatePem, server, CancellationToken.None);

        ConsulCredentials.Load(files).Should().Be(_credentials);
        File.GetUnixFileMode(files.Directory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var secret in new[] { files.NodeToken, files.AdminToken, files.ServerKey, Path.Combine(files.Directory, ConsulCredentials.GossipKeyFileName) })
            File.GetUnixFileMode(secret).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, secret);
        _credentials.ToString().Should().NotContain(_credentials.NodeToken).And.NotContain(_credentials.GossipKey.Key);
    }

    [Fact]
    public async Task Credentials_WithoutTheNodeToken_AreNotThere_SoARerunRedeemsAgain()
    {
        var files = new ConsulSecretFiles(_dir.File("consul"));
        using var ca = CertificateAuthority.Create(DateTimeOffset.UtcNow);
        await _credentials.WriteAsync(files, ca.CertificatePem, ca.IssueServer(NodeName.Parse("n1"), IPAddress.Parse("10.0.0.11"), "dc1", DateTimeOffset.UtcNow), CancellationToken.None);

        File.Delete(files.NodeToken);

        ConsulCredentials.Load(files).Should().BeNull();
    }

    [Fact]
    public void JoinTokenFile_Missing_OrNotAToken_IsAnInputErrorNamingTheFile()
    {
        var missing = () => JoinRedemption.ReadSecret(_dir.File("nope.token"));
        missing.Should().Throw<BootstrapException>().Where(e => e.InvalidInput && e.Message.Contains("--join-token-file") && e.Message.Contains("nope.token"));

        File.WriteAllText(_dir.File("bad.token"), "hmj1.not-a-token\n");
        var bad = () => JoinRedemption.ReadSecret(_dir.File("bad.token"));
        bad.Should().Throw<BootstrapException>().Where(e => e.InvalidInput && e.Message.Contains("bad.token"));
    }

    [Fact]
    public void JoinTokenFile_WithATrailingNewline_IsRead()
    {
        var secret = JoinSecret.Create(new string('A', PublicKeyPin.Length));
        File.WriteAllText(_dir.File("n2.token"), secret.Reveal() + "\n");

        JoinRedemption.ReadSecret(_dir.File("n2.token")).Id.Should().Be(secret.Id);
    }
}
