using System.Text;
using System.Text.Json;
using HaManager.Cli;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;

namespace HaManager.Tests.Cli;

/// <summary>`hamanager config show|set`: whole-result validation, compare-and-set, diff and --dry-run.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Set_ValidValue_WritesByCasAndPrintsTheDiff()
    {
        var before = await SeedAsync();

        var run = await RunAsync("config", "set", "advert_int_seconds=2", "priority_step=5");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Out.Should().Be($"--- hamanager/config (ModifyIndex {before.ModifyIndex})\n+++ hamanager/config (written)\n" +
                            "-  \"advert_int_seconds\": 1\n+  \"advert_int_seconds\": 2\n-  \"priority_step\": 10\n+  \"priority_step\": 5\n" +
                            "Written. Every node's watcher renders the change within seconds (hamanager status shows the result).\n");
        var config = await ConfigAsync();
        config.AdvertIntSeconds.Should().Be(2);
        config.PriorityStep.Should().Be(5);
        config.CreatedBy.Value.Should().Be("n1", "fields not named are kept");
    }

    [Theory]
    [InlineData("advert_int_seconds=0", "advert_int_seconds 0 is outside 1-255")]
    [InlineData("advert_int_seconds=abc", "advert_int_seconds: 'abc' is not a number")]
    [InlineData("virtual_ip=10.231.0.300/24", "10.231.0.300/24")]
    [InlineData("replicated_folders=[{\"id\":\"a\",\"path\":\"/opt/a\"},{\"id\":\"b\",\"path\":\"/opt/a/b\"}]", "replicated_folders[1].path '/opt/a/b' overlaps")]
    [InlineData("replicated_folders=[{\"id\":\"e\",\"path\":\"/etc\"}]", "replicated_folders[0].path '/etc' is the system directory /etc: it is never replicated")]
    [InlineData("replicated_folders=[{\"id\":\"e\",\"path\":\"../../etc\"}]", "replicated_folders[0].path '../../etc' must be a normalized absolute path")]
    [InlineData("advert_intervall=2", "advert_intervall is not a cluster setting (known: virtual_ip, vrrp_router_id, advert_int_seconds")]
    [InlineData("app_user=other", "app_user cannot be changed: bootstrap created the role")]
    [InlineData("advert_int_seconds", "'advert_int_seconds' is not KEY=VALUE")]
    public async Task Set_InvalidChange_IsRefusedNamingTheField_AndNothingIsWritten(string assignment, string message)
    {
        var before = await SeedAsync();

        var run = await RunAsync("config", "set", "priority_step=5", assignment);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput, run.ToString());
        run.Error.Should().Contain(message);
        run.Out.Should().BeEmpty();
        (await _kv.GetAsync(_keys.Config)).Value!.ModifyIndex.Should().Be(before.ModifyIndex, "nothing was written, not even the valid part");
    }

    [Fact]
    public async Task Set_OnANode_FolderOutsideItsAllowedRoots_IsRefusedNamingIt_AndNothingIsWritten()
    {
        var before = await SeedAsync();
        var settings = NodeSettings();

        var run = await RunAsync("--config", settings, "config", "set",
            """replicated_folders=[{"id":"resources","path":"/opt/manager/resources"},{"id":"x","path":"/opt/elsewhere"}]""");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput, run.ToString());
        run.Error.Should().Contain("replicated folder 'x' (path '/opt/elsewhere') would be refused: it is not at or below one of syncthing.allowed_roots")
            .And.Contain("nothing was written to 'hamanager/config'");
        (await _kv.GetAsync(_keys.Config)).Value!.ModifyIndex.Should().Be(before.ModifyIndex);

        var allowed = await RunAsync("--config", settings, "config", "set",
            """replicated_folders=[{"id":"resources","path":"/opt/manager/resources"},{"id":"x","path":"/srv/hamanager/x"}]""");
        allowed.ExitCode.Should().Be(ExitCodes.Ok, allowed.ToString());
        (await ConfigAsync()).ReplicatedFolders.Select(f => f.Path).Should().Equal("/opt/manager/resources", "/srv/hamanager/x");
    }

    [Fact]
    public async Task Set_OnANode_OtherFieldsChangeEvenWhenAStoredFolderIsRefusedThere()
    {
        await new ClusterSeed(_kv, _keys).ConfigAsync(folders: [new() { Id = "x", Path = "/opt/elsewhere" }]);

        var run = await RunAsync("--config", NodeSettings(), "config", "set", "advert_int_seconds=2");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        (await ConfigAsync()).AdvertIntSeconds.Should().Be(2);
    }

    private string NodeSettings()
    {
        var path = _dir.File("node.yaml");
        File.WriteAllText(path, $"node:\n  name: n1\n  address: 10.231.0.11\nsyncthing:\n  folder_root: {_dir.File("root")}\n");
        return path;
    }

    [Fact]
    public async Task Set_DryRun_PrintsTheDiffAndWritesNothing()
    {
        var before = await SeedAsync();

        var run = await RunAsync("config", "set", "--dry-run", "--json", "advert_int_seconds=3");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var result = JsonDocument.Parse(run.Out).RootElement;
        result.GetProperty("written").GetBoolean().Should().BeFalse();
        result.GetProperty("dry_run").GetBoolean().Should().BeTrue();
        var change = result.GetProperty("changes").EnumerateArray().Should().ContainSingle().Subject;
        change.GetProperty("field").GetString().Should().Be("advert_int_seconds");
        change.GetProperty("from").GetString().Should().Be("1");
        change.GetProperty("to").GetString().Should().Be("3");
        (await _kv.GetAsync(_keys.Config)).Value!.ModifyIndex.Should().Be(before.ModifyIndex);
    }

    [Fact]
    public async Task Set_SameValue_ChangesNothing()
    {
        var before = await SeedAsync();

        var run = await RunAsync("config", "set", "advert_int_seconds=1");

        run.ExitCode.Should().Be(ExitCodes.Ok);
        run.Out.Should().Be("hamanager/config already has these values; nothing to change.\n");
        (await _kv.GetAsync(_keys.Config)).Value!.ModifyIndex.Should().Be(before.ModifyIndex);
    }

    [Fact]
    public async Task Set_ConfigChangedMeanwhile_LosesTheCompareAndSet_AndKeepsTheOtherChange()
    {
        await SeedAsync();
        var raced = false;
        _kv.FailureInjector = endpoint =>
        {
            if (raced || endpoint != "PUT /v1/kv/" + _keys.Config) return null;
            raced = true;
            // Another operator's change lands between this command's read and its write.
            var current = _kv.GetAsync(_keys.Config).GetAwaiter().GetResult().Value!.ValueAsString();
            _kv.PutAsync(_keys.Config, Encoding.UTF8.GetBytes(current.Replace("\"priority_step\":10", "\"priority_step\":7", StringComparison.Ordinal))).GetAwaiter().GetResult();
            return null;
        };

        var run = await RunAsync("config", "set", "advert_int_seconds=2");

        run.ExitCode.Should().Be(ExitCodes.Failed, run.ToString());
        run.Error.Should().Contain("was changed by someone else while this command ran").And.Contain("nothing was written");
        var config = await ConfigAsync();
        config.AdvertIntSeconds.Should().Be(1);
        config.PriorityStep.Should().Be(7);
    }

    [Fact]
    public async Task Show_PrintsTheStoredDocumentWithItsIndex()
    {
        var entry = await SeedAsync();

        var run = await RunAsync("config", "show");

        run.ExitCode.Should().Be(ExitCodes.Ok);
        run.Out.Should().StartWith($"# hamanager/config (ModifyIndex {entry.ModifyIndex}); change with: hamanager config set KEY=VALUE\n{{\n  \"virtual_ip\": \"10.231.0.100/24\",");
    }

    private async Task<KvEntry> SeedAsync()
    {
        await new ClusterSeed(_kv, _keys).ConfigAsync();
        return (await _kv.GetAsync(_keys.Config)).Value!;
    }

    private async Task<ClusterConfig> ConfigAsync() => KvJson.Parse<ClusterConfig>((await _kv.GetAsync(_keys.Config)).Value!);

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(
        CliRun.Workstation(_dir.File("absent.yaml")) with { ConnectConsul = _ => new ClusterConnection(_kv, probe: null) }, args);
}
