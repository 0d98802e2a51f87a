using System.Text;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;

namespace HaManager.Tests.Watchers;

public sealed class LastKnownGoodStoreTests : IDisposable
{
    private const string Key = "hamanager/keepalived/nodes/n2";
    private readonly TempDirectory _dir = new();
    private readonly TestLogger _log = new();

    private string StateFile => _dir.File("kv-last-known-good.json");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sanitize_InvalidValue_UsesTheLastValidOne()
    {
        var store = Store();
        await store.SanitizeAsync(Entries((Key, """{"priority":140}""", 5)));

        var sanitized = await store.SanitizeAsync(Entries((Key, """{"priority": 14""", 9)));

        Encoding.UTF8.GetString(sanitized.Entries[Key].Value).Should().Be("""{"priority":140}""");
        sanitized.Invalid.Should().ContainSingle().Which.Should().Match<InvalidKey>(i => i.Key == Key && i.LastGoodIndex == 5);
    }

    [Fact]
    public async Task Sanitize_NeverValidKey_IsLeftOut()
    {
        var sanitized = await Store().SanitizeAsync(Entries((Key, "not json", 3), ("hamanager/config", Config, 1)));
        sanitized.Entries.Should().NotContainKey(Key).And.ContainKey("hamanager/config");
        sanitized.Invalid.Should().ContainSingle().Which.LastGoodIndex.Should().BeNull();
    }

    [Fact]
    public async Task Sanitize_AfterARestart_StillHasTheLastValidValue()
    {
        await Store().SanitizeAsync(Entries((Key, """{"priority":140}""", 5)));
        File.GetUnixFileMode(StateFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var restarted = Store();
        var sanitized = await restarted.SanitizeAsync(Entries((Key, "{broken", 9)));

        Encoding.UTF8.GetString(sanitized.Entries[Key].Value).Should().Be("""{"priority":140}""");
    }

    [Fact]
    public async Task Sanitize_KeyDeletedInKv_IsDroppedAndNeverResurrected()
    {
        var store = Store();
        await store.SanitizeAsync(Entries((Key, """{"priority":140}""", 5)));
        await store.SanitizeAsync(Entries());

        var restarted = Store();
        var sanitized = await restarted.SanitizeAsync(Entries((Key, "{broken", 12)));

        sanitized.Entries.Should().NotContainKey(Key, "a deleted key's old value must not come back when it is re-created invalid");
    }

    [Fact]
    public async Task Load_CorruptStateFile_IsIgnoredWithAWarning()
    {
        File.WriteAllText(StateFile, "{half");
        var sanitized = await Store().SanitizeAsync(Entries((Key, """{"priority":140}""", 5)));
        sanitized.Entries.Should().ContainKey(Key);
        _log.Messages.Should().Contain(m => m.Contains("Ignored the last-known-good state file"));
    }

    private const string Config = """{"virtual_ip":"10.231.0.100/24","created_by":"n1","created_at":"2026-01-01T00:00:00Z"}""";

    private LastKnownGoodStore Store() => new(new KvRecordCatalog(new KvKeys()), StateFile, _log.Logger);

    private static Dictionary<string, KvEntry> Entries(params (string Key, string Value, ulong Index)[] entries) =>
        entries.ToDictionary(e => e.Key, e => new KvEntry(e.Key, Encoding.UTF8.GetBytes(e.Value), e.Index, e.Index, 0, 0, null), StringComparer.Ordinal);
}
