using HaManager.Cluster.Consul;
using HaManager.Tests.Support;

namespace HaManager.Tests.Consul;

public sealed class ConsulEnvironmentTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConsulClientOptions _fromSettings = new() { Address = new Uri("http://127.0.0.1:8500"), Token = "from-settings" };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Apply_NothingSet_KeepsTheSettings()
    {
        var options = ConsulEnvironment.Apply(_fromSettings, Env());

        options.Should().Be(_fromSettings);
    }

    [Fact]
    public void Apply_HostAndPortWithSsl_IsHttps()
    {
        var options = ConsulEnvironment.Apply(_fromSettings, Env(("CONSUL_HTTP_ADDR", "10.0.0.1:8501"), ("CONSUL_HTTP_SSL", "true")));

        options.Address.Should().Be(new Uri("https://10.0.0.1:8501"));
    }

    [Fact]
    public void Apply_HttpUrlWithSsl_StaysHttpsLikeConsul()
    {
        var options = ConsulEnvironment.Apply(_fromSettings, Env(("CONSUL_HTTP_ADDR", "http://10.0.0.1:8501"), ("CONSUL_HTTP_SSL", "1")));

        options.Address.Scheme.Should().Be("https");
    }

    [Fact]
    public void Apply_SslOnlyOverConfiguredHttp_SwitchesToHttpsOnTheSamePort()
    {
        var options = ConsulEnvironment.Apply(_fromSettings, Env(("CONSUL_HTTP_SSL", "true")));

        options.Address.Should().Be(new Uri("https://127.0.0.1:8500"));
    }

    [Fact]
    public void Apply_TokenFile_WinsOverTokenVariableAndIsTrimmed()
    {
        var file = _dir.File("token");
        File.WriteAllText(file, "  from-file\n");

        var options = ConsulEnvironment.Apply(_fromSettings, Env(("CONSUL_HTTP_TOKEN", "from-variable"), ("CONSUL_HTTP_TOKEN_FILE", file)));

        options.Token.Should().Be("from-file");
    }

    [Fact]
    public void Apply_EmptyTokenFile_FallsBackToTheTokenVariable()
    {
        var file = _dir.File("token");
        File.WriteAllText(file, "\n");

        var options = ConsulEnvironment.Apply(_fromSettings, Env(("CONSUL_HTTP_TOKEN", "from-variable"), ("CONSUL_HTTP_TOKEN_FILE", file)));

        options.Token.Should().Be("from-variable");
    }

    [Fact]
    public void Apply_MissingTokenFile_IsAnErrorNamingTheFile()
    {
        var apply = () => ConsulEnvironment.Apply(_fromSettings, Env(("CONSUL_HTTP_TOKEN_FILE", _dir.File("absent"))));

        apply.Should().Throw<ArgumentException>().WithMessage("*absent*CONSUL_HTTP_TOKEN_FILE*");
    }

    [Fact]
    public void Apply_TlsVariables_FillTheTlsOptions()
    {
        var options = ConsulEnvironment.Apply(_fromSettings, Env(
            ("CONSUL_CACERT", "/etc/hamanager/tls/ca.pem"),
            ("CONSUL_CAPATH", "/etc/hamanager/tls/cas"),
            ("CONSUL_CLIENT_CERT", "/root/op.pem"),
            ("CONSUL_CLIENT_KEY", "/root/op-key.pem"),
            ("CONSUL_TLS_SERVER_NAME", "server.dc1.consul")));

        options.Tls.Should().Be(new ConsulTlsOptions
        {
            CaFile = "/etc/hamanager/tls/ca.pem",
            CaPath = "/etc/hamanager/tls/cas",
            ClientCertificateFile = "/root/op.pem",
            ClientKeyFile = "/root/op-key.pem",
            ServerName = "server.dc1.consul",
        });
    }

    [Theory]
    [InlineData("false")]
    [InlineData("0")]
    public void Apply_VerificationOff_IsRefused(string value)
    {
        var apply = () => ConsulEnvironment.Apply(_fromSettings, Env(("CONSUL_HTTP_SSL_VERIFY", value)));

        apply.Should().Throw<ArgumentException>().WithMessage("*never disables certificate verification*");
    }

    [Fact]
    public void Apply_UnixSocketAddress_IsRefused()
    {
        var apply = () => ConsulEnvironment.Apply(_fromSettings, Env(("CONSUL_HTTP_ADDR", "unix:///run/consul.sock")));

        apply.Should().Throw<ArgumentException>().WithMessage("*not unix*");
    }

    [Fact]
    public void Options_ToString_HidesTheToken()
    {
        var options = _fromSettings with { Token = "3f1e0c1a-secret" };

        options.ToString().Should().NotContain("3f1e0c1a-secret").And.Contain("hidden");
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
