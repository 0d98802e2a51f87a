using HaManager.Tests.Support;
using HaManager.Watchers.Files;

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
}
