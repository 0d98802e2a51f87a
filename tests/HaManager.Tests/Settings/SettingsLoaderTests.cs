using HaManager.Cluster.Settings;
using HaManager.Tests.Support;

namespace HaManager.Tests.Settings;

public sealed class SettingsLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private const string ValidYaml = """
        node:
          name: n1
          address: 10.231.0.11
        service_manager: process
        consul:
          service:
            start: [/usr/bin/consul, agent]
            pid_file: /run/consul.pid
        keepalived:
          interface: eth0
          service:
            start: [/usr/sbin/keepalived, -n]
            pid_file: /run/keepalived.pid
        """;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_ValidFile_ReadsEveryField()
    {
        var settings = Load(ValidYaml);
        settings.Node.Name.Should().Be("n1");
        settings.ServiceManager.Should().Be(ServiceManagerKind.Process);
        settings.Keepalived.Service.Start.Should().Equal("/usr/sbin/keepalived", "-n");
        settings.Consul.Address.Should().Be("http://127.0.0.1:8500");
        settings.SourcePath.Should().Be(_dir.File("hamanager.yaml"));
    }

    [Fact]
    public void Load_UnknownKey_NamesFileAndLine()
    {
        var act = () => Load(ValidYaml + "\nkeepalive:\n  interface: eth1\n");
        act.Should().Throw<SettingsException>().WithMessage("*hamanager.yaml:*keepalive*");
    }

    [Fact]
    public void Load_InvalidValues_ReportsEveryFieldAtOnce()
    {
        var yaml = ValidYaml.Replace("10.231.0.11", "10.231.0.300").Replace("name: n1", "name: \"n1}\"") + "\nwatch:\n  wait_seconds: 0\n";
        var act = () => Load(yaml);
        act.Should().Throw<SettingsException>()
            .Where(e => e.Message.Contains("node.address") && e.Message.Contains("node.name") && e.Message.Contains("watch.wait_seconds"));
    }

    [Fact]
    public void Load_ProcessManagerWithoutStartCommand_IsRejected()
    {
        var act = () => Load(ValidYaml.Replace("start: [/usr/sbin/keepalived, -n]", "start: []"));
        act.Should().Throw<SettingsException>().WithMessage("*keepalived.service.start: required*");
    }

    [Fact]
    public void Load_ConsulAddressPrecedence_CommandLineThenEnvironmentThenFile()
    {
        var env = new Dictionary<string, string?> { ["CONSUL_HTTP_ADDR"] = "127.0.0.2:8500", ["CONSUL_HTTP_TOKEN"] = "secret" };
        var yaml = ValidYaml.Replace("consul:\n", "consul:\n  address: http://127.0.0.3:8500\n");
        File.WriteAllText(_dir.File("hamanager.yaml"), yaml);

        var fromEnv = SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml") }, n => env.GetValueOrDefault(n));
        fromEnv.Consul.Address.Should().Be("http://127.0.0.2:8500");
        fromEnv.Consul.Token.Should().Be("secret");

        var fromFlag = SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml"), ConsulAddress = "http://127.0.0.4:8500" }, n => env.GetValueOrDefault(n));
        fromFlag.Consul.Address.Should().Be("http://127.0.0.4:8500");

        var fromFile = SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml") }, _ => null);
        fromFile.Consul.Address.Should().Be("http://127.0.0.3:8500");
    }

    [Fact]
    public void Load_SectionWithEveryKeyCommentedOut_MeansDefaults()
    {
        var settings = Load(ValidYaml + "\nwatch:\n  # wait_seconds: 5\npostgres:\n");
        settings.Watch.WaitSeconds.Should().Be(5);
        settings.Postgres.Port.Should().Be(5432);
    }

    [Fact]
    public void Load_ConfigPathFromEnvironment_IsUsed()
    {
        File.WriteAllText(_dir.File("hamanager.yaml"), ValidYaml);
        var settings = SettingsLoader.Load(new SettingsOverrides(), n => n == SettingsLoader.ConfigEnvironmentVariable ? _dir.File("hamanager.yaml") : null);
        settings.Node.Address.Should().Be("10.231.0.11");
    }

    [Fact]
    public void Load_MissingExplicitFile_SaysWhichFile()
    {
        var act = () => SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("nope.yaml") }, _ => null);
        act.Should().Throw<SettingsException>().WithMessage("*nope.yaml*does not exist*");
    }

    [Fact]
    public void Load_CommandLineNodeOverrides_WinOverTheFile()
    {
        File.WriteAllText(_dir.File("hamanager.yaml"), ValidYaml);
        var settings = SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml"), NodeName = "n9", Address = "10.231.0.19" }, _ => null);
        settings.Node.Name.Should().Be("n9");
        settings.Node.Address.Should().Be("10.231.0.19");
    }

    private HaManagerSettings Load(string yaml)
    {
        File.WriteAllText(_dir.File("hamanager.yaml"), yaml);
        return SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml") }, _ => null);
    }
}
