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
        act.Should().Throw<SettingsException>().WithMessage("*hamanager.yaml line 14, column 1: keepalive is not a known setting*");
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
    public void Load_History_HasDefaults_AndRefusesToKeepFewerThanStatusShows()
    {
        Load(ValidYaml).History.Should().BeEquivalentTo(new { MaxAgeDays = 30, MaxEntries = 1000 });
        Load(ValidYaml + "\nhistory:\n  max_age_days: 7\n").History.MaxAgeDays.Should().Be(7);

        var act = () => Load(ValidYaml + "\nhistory:\n  max_entries: 10\n");

        act.Should().Throw<SettingsException>().WithMessage("*history.max_entries*");
    }

    [Fact]
    public void Load_ProcessManagerWithoutStartCommand_IsRejected()
    {
        var act = () => Load(ValidYaml.Replace("start: [/usr/sbin/keepalived, -n]", "start: []"));
        act.Should().Throw<SettingsException>().WithMessage("*keepalived.service.start: required*");
    }

    [Fact]
    public void Load_NoFileForAReadOnlyCommand_IsAllDefaultsWithoutANode()
    {
        var settings = SettingsLoader.Load(new SettingsOverrides { RequireNode = false, DefaultConfigPath = _dir.File("absent.yaml") }, _ => null);

        settings.SourcePath.Should().BeNull();
        settings.Node.Address.Should().BeEmpty();
        settings.Node.Name.Should().BeEmpty("a workstation's host name need not be a node name");
        settings.Consul.KvPrefix.Should().Be("hamanager/");
    }

    [Fact]
    public void Load_PackagedFileWithoutNodeAddress_IsValidForAReadOnlyCommand()
    {
        File.WriteAllText(_dir.File("hamanager.yaml"), "node:\n  name: \"\"\n  address: \"\"\nconsul:\n  kv_prefix: other/\n");

        var settings = SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml"), RequireNode = false }, _ => null);
        settings.Consul.KvPrefix.Should().Be("other/");

        var forNode = () => SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml") }, _ => null);
        forNode.Should().Throw<SettingsException>().WithMessage("*line 3, column 12: node.address: required*");
    }

    [Fact]
    public void Load_ConsulVariables_AreNotTheLoadersBusiness()
    {
        var settings = SettingsLoader.Load(new SettingsOverrides { ConfigPath = WriteValid() }, n => n == "CONSUL_HTTP_ADDR" ? "127.0.0.9:8500" : null);

        settings.Consul.Address.Should().Be("http://127.0.0.1:8500", "ConsulEndpoint applies CONSUL_HTTP_ADDR, in one place");
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

    private string WriteValid()
    {
        File.WriteAllText(_dir.File("hamanager.yaml"), ValidYaml);
        return _dir.File("hamanager.yaml");
    }

    private HaManagerSettings Load(string yaml)
    {
        File.WriteAllText(_dir.File("hamanager.yaml"), yaml);
        return SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml") }, _ => null);
    }
}
