using HaManager.Cluster.Settings;
using HaManager.Tests.Support;

namespace HaManager.Tests.Settings;

/// <summary>DESIGN.md §4's order: --consul, then Consul's environment variables, then the settings file, then the default.</summary>
public sealed class ConsulEndpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConsulOptions _file = new() { Address = "http://127.0.0.3:8500", Token = "from-file" };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Resolve_NothingButTheFile_UsesTheFile()
    {
        var options = ConsulEndpoint.Resolve(_file, null, _ => null);

        options.Address.Should().Be(new Uri("http://127.0.0.3:8500"));
        options.Token.Should().Be("from-file");
    }

    [Fact]
    public void Resolve_NoFileValues_IsTheLocalAgentWithoutToken()
    {
        var options = ConsulEndpoint.Resolve(new ConsulOptions(), null, _ => null);

        options.Address.Should().Be(new Uri("http://127.0.0.1:8500"));
        options.Token.Should().BeNull();
    }

    [Fact]
    public void Resolve_EnvironmentSet_WinsOverTheFile()
    {
        var options = ConsulEndpoint.Resolve(_file, null, Env(("CONSUL_HTTP_ADDR", "127.0.0.2:8500"), ("CONSUL_HTTP_TOKEN", "from-env")));

        options.Address.Should().Be(new Uri("http://127.0.0.2:8500"));
        options.Token.Should().Be("from-env");
    }

    [Fact]
    public void Resolve_CommandLineAddress_WinsOverEnvironmentAndKeepsItsToken()
    {
        var options = ConsulEndpoint.Resolve(_file, "127.0.0.4:8500", Env(("CONSUL_HTTP_ADDR", "127.0.0.2:8500"), ("CONSUL_HTTP_TOKEN", "from-env")));

        options.Address.Should().Be(new Uri("http://127.0.0.4:8500"), "--consul is read like CONSUL_HTTP_ADDR: HOST:PORT means http");
        options.Token.Should().Be("from-env");
    }

    [Fact]
    public void Resolve_TokenFile_WinsOverTheTokenVariable()
    {
        File.WriteAllText(_dir.File("token"), "from-token-file\n");

        var options = ConsulEndpoint.Resolve(_file, null, Env(("CONSUL_HTTP_TOKEN", "from-env"), ("CONSUL_HTTP_TOKEN_FILE", _dir.File("token"))));

        options.Token.Should().Be("from-token-file");
    }

    [Fact]
    public void Resolve_UnusableCommandLineAddress_NamesTheOptionNotTheVariable()
    {
        var act = () => ConsulEndpoint.Resolve(_file, "ftp://127.0.0.4", _ => null);

        act.Should().Throw<SettingsException>().WithMessage("--consul ftp://127.0.0.4: HaManager speaks http and https to Consul, not ftp");
    }

    [Fact]
    public void Resolve_VerificationSwitchedOff_IsRefused()
    {
        var act = () => ConsulEndpoint.Resolve(_file, null, Env(("CONSUL_HTTP_SSL_VERIFY", "false")));

        act.Should().Throw<SettingsException>().WithMessage("CONSUL_HTTP_SSL_VERIFY=false*never disables certificate verification*");
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_NoTokenInTheFile_UsesTheNodeTokenBootstrapStored_AndTheClusterCa()
    {
        var file = StoredSecrets();

        var node = ConsulEndpoint.Resolve(file, "https://10.0.0.1:8501", _ => null);
        var admin = ConsulEndpoint.Resolve(file, null, _ => null, credential: ConsulCredential.Admin);

        node.Token.Should().Be("node-token");
        node.Tls!.CaFile.Should().Be(_dir.File("secrets/tls/ca.pem"));
        admin.Token.Should().Be("admin-token");
    }

    [Fact]
    public void Resolve_AdminTokenMissing_FallsBackToTheNodeToken_AndTheEnvironmentWinsOverBoth()
    {
        var file = StoredSecrets();
        File.Delete(_dir.File("secrets/admin.token"));

        ConsulEndpoint.Resolve(file, null, _ => null, credential: ConsulCredential.Admin).Token.Should().Be("node-token");
        ConsulEndpoint.Resolve(file, null, Env(("CONSUL_HTTP_TOKEN", "from-env")), credential: ConsulCredential.Admin).Token.Should().Be("from-env");
    }

    [Fact]
    public void Resolve_TokenInTheSettingsFile_WinsOverTheStoredOnes()
    {
        var file = StoredSecrets();
        file.Token = "from-file";

        ConsulEndpoint.Resolve(file, null, _ => null).Token.Should().Be("from-file");
    }

    private ConsulOptions StoredSecrets()
    {
        var secrets = ConsulSecretFiles.Of(new ConsulOptions { SecretsDir = _dir.File("secrets") });
        Directory.CreateDirectory(secrets.TlsDirectory);
        File.WriteAllText(secrets.NodeToken, "node-token\n");
        File.WriteAllText(secrets.AdminToken, "admin-token\n");
        File.WriteAllText(secrets.CaCertificate, "-----BEGIN CERTIFICATE-----\n");
        return new ConsulOptions { SecretsDir = secrets.Directory };
    }
}
