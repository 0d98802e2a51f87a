using HaManager.Cluster.Settings;

namespace HaManager.Tests.Settings;

public sealed class SyncthingSettingsTests
{
    [Fact]
    public void EmptySyncthingSection_MeansDefaults()
    {
        var settings = SettingsLoader.Parse("node:\n  name: n1\n  address: 10.231.0.11\nsyncthing:\n  # api_address: 127.0.0.1:8384\n", "hamanager.yaml");

        var syncthing = settings.Syncthing;
        syncthing.Enabled.Should().BeTrue();
        syncthing.Binary.Should().Be("/usr/bin/syncthing");
        syncthing.Home.Should().Be("/var/lib/hamanager/syncthing");
        syncthing.ApiAddress.Should().Be("127.0.0.1:8384");
        syncthing.ApiKeyFile.Should().Be("/var/lib/hamanager/syncthing-api-key");
        syncthing.ListenPort.Should().Be(22000);
        syncthing.FolderRoot.Should().Be("/");
        syncthing.Service.Unit.Should().Be("hamanager-syncthing.service");
        SettingsValidator.Validate(settings).Should().BeEmpty();
    }

    [Fact]
    public void SyncthingSection_IsReadWithSnakeCaseNames()
    {
        var settings = SettingsLoader.Parse("""
            syncthing:
              enabled: false
              api_address: "[::1]:9384"
              listen_port: 22001
              folder_root: /var/lib/lab/n1
              start_timeout_seconds: 30
            """, "hamanager.yaml");

        settings.Syncthing.Enabled.Should().BeFalse();
        settings.Syncthing.ApiAddress.Should().Be("[::1]:9384");
        settings.Syncthing.ListenPort.Should().Be(22001);
        settings.Syncthing.FolderRoot.Should().Be("/var/lib/lab/n1");
        settings.Syncthing.StartTimeoutSeconds.Should().Be(30);
        settings.Syncthing.Service.Unit.Should().Be("hamanager-syncthing.service", "an omitted service section keeps its default");
    }

    [Theory]
    [InlineData("127.0.0.1:8384")]
    [InlineData("127.0.0.2:18384")]
    [InlineData("[::1]:8384")]
    public void ApiAddress_OnLoopback_IsAccepted(string address)
    {
        Validate(s => s.Syncthing.ApiAddress = address).Should().BeEmpty();
    }

    [Theory]
    [InlineData("0.0.0.0:8384")]
    [InlineData("10.0.0.1:8384")]
    [InlineData("[::]:8384")]
    [InlineData("[fd00::1]:8384")]
    [InlineData("localhost:8384")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("::1")]
    [InlineData("http://127.0.0.1:8384")]
    [InlineData("")]
    public void ApiAddress_NotLoopbackIpAndPort_IsRejectedNamingTheField(string address)
    {
        Validate(s => s.Syncthing.ApiAddress = address).Should().ContainSingle()
            .Which.Should().StartWith($"syncthing.api_address: '{address}' must be a loopback IP:PORT");
    }

    [Theory]
    [InlineData("syncthing.listen_port", 0)]
    [InlineData("syncthing.listen_port", 65536)]
    [InlineData("syncthing.start_timeout_seconds", 4)]
    [InlineData("syncthing.start_timeout_seconds", 3601)]
    public void NumberOutOfRange_IsRejectedNamingTheField(string field, int value)
    {
        Validate(s =>
        {
            if (field == "syncthing.listen_port") s.Syncthing.ListenPort = value;
            else s.Syncthing.StartTimeoutSeconds = value;
        }).Should().ContainSingle().Which.Should().StartWith($"{field}: {value} is not between");
    }

    [Theory]
    [InlineData("syncthing.binary")]
    [InlineData("syncthing.home")]
    [InlineData("syncthing.api_key_file")]
    [InlineData("syncthing.folder_root")]
    public void RelativePath_IsRejectedNamingTheField(string field)
    {
        Validate(s =>
        {
            switch (field)
            {
                case "syncthing.binary": s.Syncthing.Binary = "syncthing"; break;
                case "syncthing.home": s.Syncthing.Home = "var/lib/syncthing"; break;
                case "syncthing.api_key_file": s.Syncthing.ApiKeyFile = "api key"; break;
                default: s.Syncthing.FolderRoot = "lab/n1"; break;
            }
        }).Should().ContainSingle().Which.Should().StartWith($"{field}: ");
    }

    [Fact]
    public void AllowedRoots_DefaultToTheDefaultFoldersAndSrvHamanager()
    {
        new HaManagerSettings().Syncthing.AllowedRoots.Should().Equal("/opt/manager/resources", "/opt/mgmtworker/env/plugins", "/srv/hamanager");
    }

    [Fact]
    public void AllowedRoots_FromTheFile_ReplaceTheDefaults()
    {
        var settings = SettingsLoader.Parse("""
            syncthing:
              allowed_roots: [/srv/uploads, /opt/manager/resources]
            """, "hamanager.yaml");

        settings.Syncthing.AllowedRoots.Should().Equal("/srv/uploads", "/opt/manager/resources");
        SettingsLoader.Parse("syncthing:\n  allowed_roots: []\n", "hamanager.yaml").Syncthing.AllowedRoots.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/", "must be a normalized absolute directory")]
    [InlineData("srv/hamanager", "must be a normalized absolute directory")]
    [InlineData("/srv/../etc", "must be a normalized absolute directory")]
    [InlineData("/srv/hamanager/", "must be a normalized absolute directory")]
    [InlineData("/srv/ham anager", "must be a normalized absolute directory")]
    [InlineData("/etc", "is the system directory /etc; syncthing runs as root and must never replicate it")]
    [InlineData("/etc/hamanager", "lies inside the system directory /etc")]
    [InlineData("/root", "is the system directory /root")]
    [InlineData("/proc", "is the system directory /proc")]
    [InlineData("/sys", "is the system directory /sys")]
    [InlineData("/dev", "is the system directory /dev")]
    [InlineData("/boot", "is the system directory /boot")]
    [InlineData("/usr", "is the system directory /usr")]
    [InlineData("/var", "contains the system directory")]
    [InlineData("/var/lib/postgresql", "is the system directory /var/lib/postgresql")]
    [InlineData("/var/lib/hamanager/replicated", "lies inside the system directory /var/lib/hamanager")]
    public void AllowedRoot_SystemDirectoryOrUnclean_IsRefusedNamingTheField(string root, string reason)
    {
        Validate(s => s.Syncthing.AllowedRoots = ["/srv/hamanager", root]).Should().ContainSingle()
            .Which.Should().StartWith($"syncthing.allowed_roots[1]: '{root}'").And.Contain(reason);
    }

    [Fact]
    public void AllowedRoot_OverlappingThisNodesOwnFiles_IsRefused()
    {
        var errors = Validate(s =>
        {
            s.Paths.StateDir = "/srv/hamanager/state";
            s.Syncthing.Home = "/opt/st";
            s.Syncthing.AllowedRoots = ["/srv/hamanager", "/opt"];
        });

        errors.Should().HaveCount(2);
        errors[0].Should().StartWith("syncthing.allowed_roots[0]: '/srv/hamanager' (on this node /srv/hamanager) overlaps paths.state_dir /srv/hamanager/state");
        errors[1].Should().StartWith("syncthing.allowed_roots[1]: '/opt' (on this node /opt) overlaps syncthing.home /opt/st");
    }

    [Fact]
    public void AllowedRoot_IsCheckedUnderTheFolderRoot_LikeTheLab()
    {
        Validate(s =>
        {
            s.Syncthing.FolderRoot = "/tmp/lab/n1";
            s.Paths.StateDir = "/tmp/lab/n1/var/lib/hamanager";
            s.Syncthing.AllowedRoots = ["/srv/hamanager"];
        }).Should().BeEmpty();
        Validate(s =>
        {
            s.Syncthing.FolderRoot = "/tmp/lab/n1";
            s.Paths.StateDir = "/tmp/lab/n1/srv/hamanager/state";
        }).Should().ContainSingle().Which.Should().Contain("(on this node /tmp/lab/n1/srv/hamanager) overlaps paths.state_dir");
    }

    private static IReadOnlyList<string> Validate(Action<HaManagerSettings> change)
    {
        var settings = new HaManagerSettings();
        settings.Node.Name = "n1";
        settings.Node.Address = "10.231.0.11";
        SettingsValidator.Validate(settings).Should().BeEmpty("the defaults with a node name and address are valid");
        change(settings);
        return SettingsValidator.Validate(settings);
    }
}
