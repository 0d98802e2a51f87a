using HaManager.Cli.Logging;

namespace HaManager.Tests.Cli.Logging;

public sealed class JournalStreamTests
{
    [Fact]
    public void IsStandardError_NoVariable_IsFalse() =>
        JournalStream.IsStandardError(_ => null, () => "socket:[4711]").Should().BeFalse();

    [Fact]
    public void IsStandardError_VariableNamesTheSocketBehindStderr_IsTrue() =>
        JournalStream.IsStandardError(Journal("8:4711"), () => "socket:[4711]").Should().BeTrue();

    [Fact]
    public void IsStandardError_InheritedVariableButStderrRedirected_IsFalse() =>
        JournalStream.IsStandardError(Journal("8:4711"), () => "/var/log/hamanager.log").Should().BeFalse();

    [Fact]
    public void IsStandardError_DescriptorUnreadable_TrustsTheVariable() =>
        JournalStream.IsStandardError(Journal("8:4711"), () => null).Should().BeTrue();

    private static Func<string, string?> Journal(string value) => name => name == JournalStream.Variable ? value : null;
}
