using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Syncthing;

namespace HaManager.Tests.Syncthing;

/// <summary>
/// What KV may ask syncthing (root) to replicate on a node: only below syncthing.allowed_roots, never a system
/// directory, and no symbolic link from the root down that leads out of it — checked on a real filesystem
/// (a temporary directory as syncthing.folder_root, as in the lab).
/// </summary>
public sealed class ReplicatedFolderGuardTests : IDisposable
{
    private static readonly string[] Roots = ["/opt/manager/resources", "/opt/mgmtworker/env/plugins", "/srv/hamanager"];
    private readonly TempDirectory _node = new();
    private readonly TempDirectory _outside = new();
    private readonly ReplicatedFolderGuard _guard;

    public ReplicatedFolderGuardTests() => _guard = new ReplicatedFolderGuard(_node.Path, Roots);

    public void Dispose()
    {
        _node.Dispose();
        _outside.Dispose();
    }

    [Theory]
    [InlineData("/opt/manager/resources")]
    [InlineData("/opt/mgmtworker/env/plugins")]
    [InlineData("/srv/hamanager/blueprints")]
    [InlineData("/srv/hamanager/a/b/c")]
    public void FolderAtOrBelowAnAllowedRoot_IsPlacedUnderTheFolderRoot(string path)
    {
        _guard.Place(Folder(path)).Should().Be(_node.Path + path);
        _guard.Refusal(Folder(path)).Should().BeNull();
    }

    [Fact]
    public void FolderThatDoesNotExistYet_IsAccepted_AndExistingRealDirectoriesToo()
    {
        Directory.CreateDirectory(_node.File("srv/hamanager/exists/inner"));
        _guard.Place(Folder("/srv/hamanager/exists/inner")).Should().Be(_node.Path + "/srv/hamanager/exists/inner");
        _guard.Place(Folder("/srv/hamanager/exists/not-yet/deeper")).Should().Be(_node.Path + "/srv/hamanager/exists/not-yet/deeper");
    }

    [Theory]
    [InlineData("/etc", "is the system directory /etc")]
    [InlineData("/etc/ssh", "lies inside the system directory /etc")]
    [InlineData("/root/.ssh", "lies inside the system directory /root")]
    [InlineData("/var", "contains the system directory")]
    [InlineData("/var/lib/postgresql/15/main", "lies inside the system directory /var/lib/postgresql")]
    [InlineData("/usr/local/bin", "lies inside the system directory /usr")]
    [InlineData("/proc/1", "lies inside the system directory /proc")]
    public void SystemDirectory_IsRefused(string path, string reason)
    {
        var refusal = Refuse(path);
        refusal.Reason.Should().Contain(reason).And.Contain("never replicated");
        refusal.Message.Should().Contain($"'{path}'").And.Contain("refused on this node");
        refusal.LocalPath.Should().BeNull();
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("/var/../etc")]
    [InlineData("/srv/hamanager/../../etc")]
    [InlineData("/srv/hamanager/./x")]
    [InlineData("opt/manager/resources")]
    [InlineData("srv/hamanager")]
    [InlineData("/srv/hamanager/x\n")]
    [InlineData("/srv/hamanager/x\u0001y")]
    [InlineData("/srv/hamanager//x")]
    [InlineData("/srv/hamanager/x/")]
    [InlineData("")]
    [InlineData("/")]
    public void UncleanOrRelativePath_IsRefused(string path)
    {
        Refuse(path).Reason.Should().Contain("not a normalized absolute path");
    }

    [Theory]
    [InlineData("/srv/other")]
    [InlineData("/srv")]
    [InlineData("/opt/manager")]
    [InlineData("/opt/manager/resources-old")]
    [InlineData("/srv/hamanagerx")]
    public void PathOutsideTheAllowedRoots_IsRefusedNamingThem(string path)
    {
        Refuse(path).Reason.Should().Contain("not at or below one of syncthing.allowed_roots (/opt/manager/resources, /opt/mgmtworker/env/plugins, /srv/hamanager)");
    }

    [Fact]
    public void NoAllowedRoots_RefusesEveryFolder()
    {
        var guard = new ReplicatedFolderGuard(_node.Path, []);
        guard.Refusal(Folder("/opt/manager/resources")).Should().Contain("syncthing.allowed_roots is empty");
    }

    [Fact]
    public void SymbolicLinkBelowTheRoot_LeadingOutOfIt_IsRefused()
    {
        Directory.CreateDirectory(_node.File("srv/hamanager"));
        File.CreateSymbolicLink(_node.File("srv/hamanager/escape"), _outside.Path);

        var refusal = Refuse("/srv/hamanager/escape");
        refusal.Reason.Should().Contain($"resolves to {_outside.Path} through a symbolic link, outside its allowed root {_node.Path}/srv/hamanager");
        refusal.LocalPath.Should().Be(_node.Path + "/srv/hamanager/escape");
        Refuse("/srv/hamanager/escape/deeper").Reason.Should().Contain($"resolves to {_outside.Path}/deeper");
    }

    [Fact]
    public void SymbolicLinkToEtc_IsRefused()
    {
        Directory.CreateDirectory(_node.File("srv/hamanager"));
        File.CreateSymbolicLink(_node.File("srv/hamanager/config"), "/etc");

        Refuse("/srv/hamanager/config").Reason.Should().Contain("resolves to /etc through a symbolic link");
    }

    [Fact]
    public void RootItself_ASymbolicLinkLeadingElsewhere_IsRefused()
    {
        Directory.CreateDirectory(_node.File("opt/manager"));
        File.CreateSymbolicLink(_node.File("opt/manager/resources"), _outside.Path);

        Refuse("/opt/manager/resources").Reason.Should().Contain("outside its allowed root");
    }

    [Fact]
    public void RelativeSymbolicLinkClimbingOutOfTheRoot_IsRefused()
    {
        Directory.CreateDirectory(_node.File("srv/hamanager/a"));
        Directory.CreateDirectory(_node.File("srv/secret"));
        File.CreateSymbolicLink(_node.File("srv/hamanager/a/up"), "../../secret");

        Refuse("/srv/hamanager/a/up").Reason.Should().Contain($"resolves to {_node.Path}/srv/secret");
    }

    [Fact]
    public void DanglingSymbolicLink_IsRefused()
    {
        Directory.CreateDirectory(_node.File("srv/hamanager"));
        File.CreateSymbolicLink(_node.File("srv/hamanager/later"), _outside.File("not-there-yet"));

        Refuse("/srv/hamanager/later").Reason.Should().Contain("dangling symbolic link");
    }

    [Fact]
    public void SymbolicLinkThatStaysInsideTheRoot_IsAccepted()
    {
        Directory.CreateDirectory(_node.File("srv/hamanager/real"));
        File.CreateSymbolicLink(_node.File("srv/hamanager/alias"), "real");

        _guard.Place(Folder("/srv/hamanager/alias")).Should().Be(_node.Path + "/srv/hamanager/alias");
    }

    [Fact]
    public void SymbolicLinkAboveTheRoot_IsTheAdministratorsLayout_AndFollowed()
    {
        // e.g. /opt → /data/opt: the root and everything below it move together.
        Directory.CreateDirectory(_node.File("data/opt/manager/resources"));
        File.CreateSymbolicLink(_node.File("opt"), _node.File("data/opt"));

        _guard.Place(Folder("/opt/manager/resources")).Should().Be(_node.Path + "/opt/manager/resources");
    }

    private ReplicatedFolderRefusedException Refuse(string path)
    {
        var act = () => _guard.Place(Folder(path));
        var refusal = act.Should().Throw<ReplicatedFolderRefusedException>().Which;
        _guard.Refusal(Folder(path)).Should().Be(refusal.Reason);
        refusal.Message.Should().NotContain("\n");
        return refusal;
    }

    private static ReplicatedFolder Folder(string path) => new() { Id = "x", Path = path };
}
