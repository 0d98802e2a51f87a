using HaManager.Cluster.Settings;
using HaManager.Tests.Support;

namespace HaManager.Tests.Settings;

/// <summary>
/// Mistakes in hamanager.yaml are reported in the file's terms: line, column, the setting's YAML path, the value
/// and what is expected. Never .NET's: no type names, no "Property … not found on type …".
/// </summary>
public sealed class SettingsFileErrorTests : IDisposable
{
    private const string Head = "node:\n  name: n1\n  address: 10.231.0.11\n";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_MisspelledSetting_SaysLineColumnPathAndTheKnownOnes()
    {
        var message = Error(Head + "keepalived:\n  interfce: eth1\n");

        message.Should().Be($"{_dir.File("hamanager.yaml")} line 5, column 3: keepalived.interfce is not a known setting " +
                            "(known: config_file, binary, interface, track_file, service)");
        NoDotNetNames(message);
    }

    [Fact]
    public void Load_MisspelledSection_ListsTheSections()
    {
        var message = Error(Head + "keepalive:\n  interface: eth1\n");

        message.Should().Contain("line 4, column 1: keepalive is not a known setting (known: node, consul, keepalived,");
        NoDotNetNames(message);
    }

    [Theory]
    [InlineData("watch:\n  wait_seconds: abc\n", "line 5, column 17: watch.wait_seconds: 'abc' is not a whole number")]
    [InlineData("watch:\n  wait_seconds: 2.5\n", "line 5, column 17: watch.wait_seconds: '2.5' is not a whole number")]
    [InlineData("syncthing:\n  enabled: maybe\n", "line 5, column 12: syncthing.enabled: 'maybe' is not true or false")]
    [InlineData("service_manager: upstart\n", "line 4, column 18: service_manager: 'upstart' is not one of systemd, process")]
    [InlineData("keepalived:\n  service:\n    start: /usr/sbin/keepalived -n\n",
        "line 6, column 12: keepalived.service.start: expected a list such as [/usr/bin/program, --flag], not the value '/usr/sbin/keepalived -n'")]
    [InlineData("keepalived: eth1\n", "line 4, column 13: keepalived must be a section of settings (indented \"key: value\" lines), not the value 'eth1'")]
    [InlineData("keepalived:\n  interface: [eth0, eth1]\n", "line 5, column 14: keepalived.interface: expected a text value (quote it if it contains ': ' or starts with a special character), not a list")]
    [InlineData("consul:\n  token:\n", "line 5, column 9: consul.token: has no value; write \"\" for an empty value")]
    public void Load_WrongKindOfValue_SaysTheFieldTheValueAndWhatIsExpected(string yaml, string expected)
    {
        var message = Error(Head + yaml);

        message.Should().Be($"{_dir.File("hamanager.yaml")} {expected}");
        NoDotNetNames(message);
    }

    [Fact]
    public void Load_SyntaxError_SaysLineColumnAndTheSettingBeforeIt()
    {
        var message = Error(Head + "keepalived:\n  interface: \"eth0\n  binary: /usr/sbin/keepalived\n");

        message.Should().StartWith($"{_dir.File("hamanager.yaml")} line 5, column 14: this is not valid YAML (after keepalived.interface): ");
        message.Should().EndWith("check the indentation (two spaces per level) and the quotes");
        NoDotNetNames(message);
    }

    [Fact]
    public void Load_BadIndentation_NamesTheSettingBeforeIt()
    {
        var message = Error("node:\n  name: n1\n address: 10.231.0.11\n");

        message.Should().Contain("line 3, column 2: this is not valid YAML (after node.name)");
        NoDotNetNames(message);
    }

    [Fact]
    public void Load_UnclosedList_IsASyntaxErrorNotAnInternalOne()
    {
        var message = Error("node:\n  name: n1\n  address: [10.231.0.11\nwatch:\n  wait_seconds: 3\n");

        message.Should().Contain("this is not valid YAML (after node.address): an unclosed '[', '{' or quote?");
        NoDotNetNames(message);
    }

    [Fact]
    public void Load_SettingGivenTwice_SaysWhichOne()
    {
        var message = Error(Head + "watch:\n  wait_seconds: 3\n  wait_seconds: 4\n");

        message.Should().Be($"{_dir.File("hamanager.yaml")} line 6, column 3: watch.wait_seconds is set twice; keep one");
    }

    [Fact]
    public void Load_SeveralMistakes_ListsThemAllWithTheirLines()
    {
        var message = Error(Head + "keepalived:\n  interfce: eth1\nwatch:\n  wait_seconds: abc\n");

        message.Should().Be($"{_dir.File("hamanager.yaml")} has 2 problems:\n" +
                            "  line 5, column 3: keepalived.interfce is not a known setting (known: config_file, binary, interface, track_file, service)\n" +
                            "  line 7, column 17: watch.wait_seconds: 'abc' is not a whole number");
    }

    [Fact]
    public void Load_InvalidValue_IsPlacedAtTheSettingInTheFile()
    {
        var message = Error("node:\n  name: n1\n  address: 10.231.0.300\nwatch:\n  wait_seconds: 0\n");

        message.Should().Contain("  line 3, column 12: node.address: ").And.Contain("  line 5, column 17: watch.wait_seconds: 0 is not between 1 and 300");
    }

    [Fact]
    public void Load_UnknownLogFormat_IsRejected()
    {
        var message = Error(Head + "logging:\n  format: xml\n");

        message.Should().Be($"{_dir.File("hamanager.yaml")} line 5, column 11: logging.format: 'xml' is not plain or json");
    }

    private string Error(string yaml)
    {
        File.WriteAllText(_dir.File("hamanager.yaml"), yaml);
        var act = () => SettingsLoader.Load(new SettingsOverrides { ConfigPath = _dir.File("hamanager.yaml") }, _ => null);
        return act.Should().Throw<SettingsException>().Which.Message;
    }

    private static void NoDotNetNames(string message)
    {
        message.Should().NotContainAny("System.", "HaManager.", "YamlDotNet", "Property '", "type '", "Culture=", "PublicKeyToken");
    }
}
