using System.Diagnostics;
using HaManager.Tests.Support;
using HaManager.Watchers.Processes;

namespace HaManager.Tests.Watchers;

/// <summary>Root must never change a file through a link a less privileged user planted (tests run as root).</summary>
public sealed class PosixOwnershipTests : IDisposable
{
    private const UnixFileMode RootDefault = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly TempDirectory _dir = new();
    private readonly uint _nobody = Posix.LookupUser("nobody").Uid;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ChownNoFollow_SymlinkToARootFile_IsRefusedAndTheTargetKeepsOwnerAndMode()
    {
        var victim = Victim();
        File.CreateSymbolicLink(_dir.File("postgresql.log"), victim);

        var chown = () => Posix.ChownNoFollow(_dir.File("postgresql.log"), "nobody");

        chown.Should().Throw<IOException>().WithMessage("*symbolic link*");
        AssertUntouched(victim);
    }

    [Fact]
    public void ChownNoFollow_SymlinkToADirectory_IsRefused()
    {
        Directory.CreateDirectory(_dir.File("etc"));
        File.CreateSymbolicLink(_dir.File("data"), _dir.File("etc"));

        var chown = () => Posix.ChownNoFollow(_dir.File("data"), "nobody");

        chown.Should().Throw<IOException>();
        Posix.Lstat(_dir.File("etc")).Uid.Should().Be(0);
    }

    [Fact]
    public void ChownNoFollow_HardLinkToARootFile_IsRefused()
    {
        var victim = Victim();
        Run("ln", victim, _dir.File("hard.log"));

        var chown = () => Posix.ChownNoFollow(_dir.File("hard.log"), "nobody");

        chown.Should().Throw<IOException>().WithMessage("*hard links*");
        AssertUntouched(victim);
    }

    [Fact]
    public void ChownNoFollow_Directory_GivesItToTheUser()
    {
        Directory.CreateDirectory(_dir.File("data"));

        Posix.ChownNoFollow(_dir.File("data"), "nobody");

        Posix.Lstat(_dir.File("data")).Uid.Should().Be(_nobody);
    }

    [Fact]
    public void PrepareLogFile_SymlinkToARootFile_IsRefusedAndTheTargetIsUnchanged()
    {
        var victim = Victim();
        File.CreateSymbolicLink(_dir.File("repmgr.log"), victim);

        var prepare = () => Posix.PrepareLogFile(_dir.File("repmgr.log"), "nobody");

        prepare.Should().Throw<IOException>().WithMessage("*symbolic link*");
        AssertUntouched(victim);
    }

    [Fact]
    public void PrepareLogFile_Fifo_IsRefusedWithoutBlocking()
    {
        Run("mkfifo", _dir.File("pgbouncer.log"));

        var prepare = () => Posix.PrepareLogFile(_dir.File("pgbouncer.log"), "nobody");

        prepare.Should().Throw<IOException>();
    }

    [Fact]
    public void PrepareLogFile_New_IsCreatedForTheUserWithMode0640()
    {
        Posix.PrepareLogFile(_dir.File("new.log"), "nobody");

        var status = Posix.Lstat(_dir.File("new.log"));
        status.IsRegularFile.Should().BeTrue();
        status.Uid.Should().Be(_nobody);
        status.Mode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
    }

    [Fact]
    public void PrepareLogFile_Existing_KeepsItsContent()
    {
        File.WriteAllText(_dir.File("old.log"), "earlier lines\n");

        Posix.PrepareLogFile(_dir.File("old.log"), "nobody");

        File.ReadAllText(_dir.File("old.log")).Should().Be("earlier lines\n");
        Posix.Lstat(_dir.File("old.log")).Uid.Should().Be(_nobody);
    }

    [Fact]
    public void Lstat_Symlink_DescribesTheLinkNotTheTarget()
    {
        var victim = Victim();
        File.CreateSymbolicLink(_dir.File("link"), victim);

        Posix.Lstat(_dir.File("link")).IsSymbolicLink.Should().BeTrue();
        Posix.Lstat(victim).IsRegularFile.Should().BeTrue();
        Posix.Lstat(victim).Size.Should().Be(7);
    }

    /// <summary>Stands in for /etc/shadow: owned by root, mode 0644, with content.</summary>
    private string Victim()
    {
        var path = _dir.File("victim");
        File.WriteAllText(path, "secret\n");
        File.SetUnixFileMode(path, RootDefault);
        return path;
    }

    private static void AssertUntouched(string victim)
    {
        var status = Posix.Lstat(victim);
        status.Uid.Should().Be(0);
        status.Gid.Should().Be(0);
        status.Mode.Should().Be(RootDefault);
        File.ReadAllText(victim).Should().Be("secret\n");
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0);
    }
}
