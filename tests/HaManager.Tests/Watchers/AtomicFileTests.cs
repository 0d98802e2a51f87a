using HaManager.Tests.Support;
using HaManager.Watchers.Files;
using HaManager.Watchers.Processes;

namespace HaManager.Tests.Watchers;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Write_NewFile_CreatesItWithTheMode()
    {
        var result = await AtomicFile.WriteAsync(_dir.File("sub/a.conf"), "hello\n", AtomicFile.PrivateMode);
        result.Outcome.Should().Be(FileWriteOutcome.Written);
        File.ReadAllText(_dir.File("sub/a.conf")).Should().Be("hello\n");
        File.GetUnixFileMode(_dir.File("sub/a.conf")).Should().Be(AtomicFile.PrivateMode);
    }

    [Fact]
    public async Task Write_SameBytes_IsUnchangedAndDoesNotTouchTheFile()
    {
        await AtomicFile.WriteAsync(_dir.File("a.conf"), "x");
        var stamp = File.GetLastWriteTimeUtc(_dir.File("a.conf"));
        (await AtomicFile.WriteAsync(_dir.File("a.conf"), "x")).Outcome.Should().Be(FileWriteOutcome.Unchanged);
        File.GetLastWriteTimeUtc(_dir.File("a.conf")).Should().Be(stamp);
    }

    [Fact]
    public async Task Write_SameBytesDifferentMode_IsRewritten()
    {
        await AtomicFile.WriteAsync(_dir.File("a.conf"), "x", AtomicFile.DefaultMode);
        (await AtomicFile.WriteAsync(_dir.File("a.conf"), "x", AtomicFile.PrivateMode)).Outcome.Should().Be(FileWriteOutcome.Written);
    }

    [Fact]
    public async Task Write_ValidatorRejects_KeepsTheOldFileAndRemovesTheCandidate()
    {
        await AtomicFile.WriteAsync(_dir.File("a.conf"), "good");
        string? seen = null;
        var result = await AtomicFile.WriteAsync(_dir.File("a.conf"), "bad", validate: (candidate, _) =>
        {
            seen = File.ReadAllText(candidate);
            return Task.FromResult<string?>("syntax error on line 1");
        });

        seen.Should().Be("bad", "the validator checks the candidate, not the current file");
        result.Outcome.Should().Be(FileWriteOutcome.Rejected);
        result.Reason.Should().Be("syntax error on line 1");
        File.ReadAllText(_dir.File("a.conf")).Should().Be("good");
        Directory.GetFiles(_dir.Path).Should().ContainSingle();
    }

    [Fact]
    public async Task Write_PathIsASymlinkToARootFile_ReplacesTheLinkAndLeavesTheTargetAlone()
    {
        var victim = _dir.File("shadow");
        File.WriteAllText(victim, "secret\n");
        File.SetUnixFileMode(victim, AtomicFile.DefaultMode);
        File.CreateSymbolicLink(_dir.File("postgresql.auto.conf"), victim);

        var result = await AtomicFile.WriteAsync(_dir.File("postgresql.auto.conf"), "port = 5432\n", AtomicFile.PrivateMode, owner: "nobody");

        result.Outcome.Should().Be(FileWriteOutcome.Written);
        var target = Posix.Lstat(victim);
        (target.Uid, target.Mode).Should().Be((0u, AtomicFile.DefaultMode));
        File.ReadAllText(victim).Should().Be("secret\n");
        var written = Posix.Lstat(_dir.File("postgresql.auto.conf"));
        written.IsRegularFile.Should().BeTrue();
        (written.Uid, written.Mode).Should().Be((Posix.LookupUser("nobody").Uid, AtomicFile.PrivateMode));
    }

    [Fact]
    public async Task Write_SymlinkToAFileWithTheSameContent_IsNotCurrent()
    {
        File.WriteAllText(_dir.File("real"), "x");
        File.SetUnixFileMode(_dir.File("real"), AtomicFile.DefaultMode);
        File.CreateSymbolicLink(_dir.File("a.conf"), _dir.File("real"));

        (await AtomicFile.WriteAsync(_dir.File("a.conf"), "x")).Outcome.Should().Be(FileWriteOutcome.Written);
        Posix.Lstat(_dir.File("a.conf")).IsSymbolicLink.Should().BeFalse();
    }

    [Fact]
    public async Task Write_OwnerChanged_RewritesWithTheNewOwner()
    {
        await AtomicFile.WriteAsync(_dir.File("a.conf"), "x");

        (await AtomicFile.WriteAsync(_dir.File("a.conf"), "x", owner: "nobody")).Outcome.Should().Be(FileWriteOutcome.Written);
        (await AtomicFile.WriteAsync(_dir.File("a.conf"), "x", owner: "nobody")).Outcome.Should().Be(FileWriteOutcome.Unchanged);
        Posix.Lstat(_dir.File("a.conf")).Uid.Should().Be(Posix.LookupUser("nobody").Uid);
    }
}
