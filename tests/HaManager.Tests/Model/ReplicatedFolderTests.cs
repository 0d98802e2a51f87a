using System.Text;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Model;

/// <summary>replicated_folders in the cluster config, as read from KV.</summary>
public sealed class ReplicatedFolderTests
{
    private const string Key = "hamanager/config";

    [Fact]
    public void Config_WithoutReplicatedFolders_GetsResourcesAndPlugins()
    {
        var config = Parse("");
        config.ReplicatedFolders.Select(f => (f.Id, f.Path)).Should().Equal(
            ("resources", "/opt/manager/resources"), ("plugins", "/opt/mgmtworker/env/plugins"));
    }

    [Fact]
    public void Config_WithEmptyList_ReplicatesNothing()
    {
        Parse("""[]""").ReplicatedFolders.Should().BeEmpty();
    }

    [Fact]
    public void Config_WithFolders_KeepsThemInOrderAndRoundTrips()
    {
        var config = Parse("""[{"id":"blueprints","path":"/srv/blueprints"},{"id":"plugins_2","path":"/srv/plugins"},{"id":"blue","path":"/srv/blue"}]""");
        config.ReplicatedFolders.Select(f => f.Id).Should().Equal("blueprints", "plugins_2", "blue");

        var json = Encoding.UTF8.GetString(KvJson.Serialize(config));
        json.Should().Contain("\"replicated_folders\":[{\"id\":\"blueprints\",\"path\":\"/srv/blueprints\"}");
        KvJson.TryParse<ClusterConfig>(Key, Encoding.UTF8.GetBytes(json), out var back, out _).Should().BeTrue();
        back!.ReplicatedFolders.Should().Equal(config.ReplicatedFolders);
    }

    [Theory]
    [InlineData("opt/manager/resources")]
    [InlineData("/opt/../etc")]
    [InlineData("/opt/manager/..")]
    [InlineData("/opt/./manager")]
    [InlineData("/opt/manager/resources/")]
    [InlineData("/opt//manager")]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("/opt/my resources")]
    [InlineData("/opt/$HOME")]
    [InlineData("/opt/'x'")]
    [InlineData("/opt/x\ny")]
    public void Folder_WithUncleanPath_IsRejectedNamingIt(string path)
    {
        var escaped = System.Text.Json.JsonEncodedText.Encode(path).ToString();
        Reject($$"""[{"id":"resources","path":"/opt/manager/resources"},{"id":"other","path":"{{escaped}}"}]""")
            .Should().Contain("replicated_folders[1].path").And.Contain("normalized absolute path").And.NotContain("\n");
    }

    [Theory]
    [InlineData("/etc", "is the system directory /etc")]
    [InlineData("/etc/ssh", "lies inside the system directory /etc")]
    [InlineData("/root/.ssh", "lies inside the system directory /root")]
    [InlineData("/var", "contains the system directory /var/backups")]
    [InlineData("/var/lib", "contains the system directory /var/lib/apt")]
    [InlineData("/var/lib/postgresql/15/main", "lies inside the system directory /var/lib/postgresql")]
    [InlineData("/var/lib/hamanager/syncthing", "lies inside the system directory /var/lib/hamanager")]
    [InlineData("/boot", "is the system directory /boot")]
    [InlineData("/usr/local/share", "lies inside the system directory /usr")]
    [InlineData("/proc/self", "lies inside the system directory /proc")]
    [InlineData("/sys", "is the system directory /sys")]
    [InlineData("/dev/shm", "lies inside the system directory /dev")]
    [InlineData("/home/alice", "lies inside the system directory /home")]
    public void Folder_InASystemDirectory_IsRejectedWhateverTheSettings(string path, string reason)
    {
        Reject($$"""[{"id":"resources","path":"/opt/manager/resources"},{"id":"other","path":"{{path}}"}]""")
            .Should().Be($"replicated_folders[1].path '{path}' {reason}: it is never replicated");
    }

    [Theory]
    [InlineData("/srv/hamanager/x")]
    [InlineData("/opt/elsewhere")]
    [InlineData("/var/opt/app")]
    [InlineData("/etcetera")]
    public void Folder_OutsideSystemDirectories_IsValidInKv_TheNodesAllowedRootsDecideTheRest(string path)
    {
        Parse($$"""[{"id":"x","path":"{{path}}"}]""").ReplicatedFolders.Should().ContainSingle();
    }

    [Theory]
    [InlineData("Resources")]
    [InlineData("-resources")]
    [InlineData("_x")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("résumé")]
    public void Folder_WithInvalidId_IsRejectedNamingIt(string id)
    {
        Reject($$"""[{"id":"{{id}}","path":"/srv/x"}]""").Should().Contain("replicated_folders[0].id");
    }

    [Fact]
    public void Folder_IdLengthLimit_Is64()
    {
        Parse($$"""[{"id":"{{new string('a', 64)}}","path":"/srv/x"}]""").ReplicatedFolders.Should().ContainSingle();
        Reject($$"""[{"id":"{{new string('a', 65)}}","path":"/srv/x"}]""").Should().Contain("replicated_folders[0].id");
    }

    [Theory]
    [InlineData("""[{"id":"a","path":"/srv/a"},{"id":"b","path":"/srv/b"},{"id":"a","path":"/srv/c"}]""", "replicated_folders[2].id 'a' is also used by replicated_folders[0]")]
    [InlineData("""[{"id":"a","path":"/srv/a"},{"id":"b","path":"/srv/a"}]""", "replicated_folders[1].path '/srv/a' overlaps replicated_folders[0].path '/srv/a'")]
    [InlineData("""[{"id":"a","path":"/srv/a"},{"id":"b","path":"/srv/a/b"}]""", "replicated_folders[1].path '/srv/a/b' overlaps replicated_folders[0].path '/srv/a'")]
    [InlineData("""[{"id":"a","path":"/srv/a/b/c"},{"id":"b","path":"/srv/a"}]""", "replicated_folders[1].path '/srv/a' overlaps replicated_folders[0].path '/srv/a/b/c'")]
    [InlineData("""null""", "replicated_folders must be a list")]
    [InlineData("""[{"id":"a","path":"/srv/a"},null]""", "replicated_folders[1] is null")]
    [InlineData("""[{"id":"a"}]""", "path")]
    [InlineData("""{"id":"a","path":"/srv/a"}""", "replicated_folders")]
    public void Folders_ThatConflictOrAreMissing_AreRejected(string folders, string reasonFragment)
    {
        Reject(folders).Should().Contain(reasonFragment);
    }

    [Fact]
    public void Folders_WithACommonNamePrefix_DoNotOverlap()
    {
        Parse("""[{"id":"a","path":"/srv/a"},{"id":"ab","path":"/srv/ab"},{"id":"a2","path":"/srv/a-2"}]""").ReplicatedFolders.Should().HaveCount(3);
    }

    [Fact]
    public void Folders_EveryProblem_IsReportedAtOnce()
    {
        var reason = Reject("""[{"id":"A","path":"rel"},{"id":"b","path":"/srv/b"},{"id":"b","path":"/srv/c/"}]""");
        reason.Should().Contain("replicated_folders[0].id").And.Contain("replicated_folders[0].path")
            .And.Contain("replicated_folders[2].path").And.Contain("replicated_folders[2].id 'b' is also used by replicated_folders[1]");
    }

    private static ClusterConfig Parse(string folders)
    {
        KvJson.TryParse<ClusterConfig>(Key, Json(folders), out var config, out var error).Should().BeTrue(error?.ToString());
        return config!;
    }

    private static string Reject(string folders)
    {
        KvJson.TryParse<ClusterConfig>(Key, Json(folders), out var config, out var error).Should().BeFalse();
        config.Should().BeNull();
        error!.Key.Should().Be(Key);
        return error.Reason;
    }

    private static byte[] Json(string folders) => Encoding.UTF8.GetBytes(
        """{"virtual_ip":"10.231.0.100/24","created_by":"n1","created_at":"2026-01-01T00:00:00Z" """
        + (folders.Length == 0 ? "" : $",\"replicated_folders\":{folders}") + "}");
}
