using System.Collections.Concurrent;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Processes;

namespace HaManager.Tests.Watchers;

public sealed class WatchEngineTests : IAsyncLifetime
{
    private readonly InMemoryKvStore _kv = new();
    private readonly TempDirectory _dir = new();
    private readonly RecordingServiceManager _services = new();
    private readonly TestLogger _log = new();
    private readonly ConcurrentQueue<WatcherCycleReport> _reports = new();
    private readonly CancellationTokenSource _stop = new();
    private ClusterSeed _seed = null!;
    private Task _engine = Task.CompletedTask;
    private WatchEngine? _watchEngine;

    private string ConfigFile => _dir.File("keepalived.conf");

    public async Task InitializeAsync()
    {
        _seed = new ClusterSeed(_kv);
        await (await (await _seed.ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _engine;
        _dir.Dispose();
    }

    [Fact]
    public async Task Run_FirstCycle_WritesTheFileAndReloads()
    {
        Start();
        await CyclesAsync(1);
        File.ReadAllText(ConfigFile).Should().Contain("10.231.0.12");
        _services.Reloads("keepalived").Should().Be(1);
        _log.Messages.Should().Contain(m => m.Contains("rendered " + ConfigFile) && m.Contains("reloaded keepalived"));
    }

    [Fact]
    public async Task Run_NodeJoins_PeerListGainsItAndServiceReloads()
    {
        Start();
        await CyclesAsync(1);
        await _seed.NodeAsync("n3", "10.231.0.13", 130);
        await Eventually.WaitAsync(() => File.ReadAllText(ConfigFile).Contains("10.231.0.13"), "n3 in the unicast peers");
        await Eventually.WaitAsync(() => _services.Reloads("keepalived") == 2, "a second reload");
    }

    [Fact]
    public async Task Run_OperatorChangesPriority_RewritesAndReloads()
    {
        Start();
        await CyclesAsync(1);
        await _seed.NodeAsync("n1", "10.231.0.11", 200);
        await Eventually.WaitAsync(() => File.ReadAllText(ConfigFile).Contains("priority 200"), "the new priority");
        await Eventually.WaitAsync(() => _services.Reloads("keepalived") == 2, "a reload");
    }

    [Fact]
    public async Task Run_SameValueWrittenAgain_NoWriteNoReload()
    {
        Start();
        await CyclesAsync(1);
        var written = File.GetLastWriteTimeUtc(ConfigFile);
        // A change keepalived.conf does not depend on: the data changes, the rendered bytes do not.
        await _seed.RawAsync("hamanager/nodes/n2", """{"name":"n2","address":"10.231.0.12","joined_at":"2026-02-02T00:00:00Z","version":"0.1.1"}""");
        await CyclesAsync(2);
        _reports.Last().Changed.Should().BeFalse();
        File.GetLastWriteTimeUtc(ConfigFile).Should().Be(written);
        _services.Reloads("keepalived").Should().Be(1);
    }

    [Fact]
    public async Task Run_MalformedValue_UsesItsLastValidValueAndStillRendersOtherChanges()
    {
        Start();
        await CyclesAsync(1);

        await _seed.RawAsync("hamanager/keepalived/nodes/n2", "{\"priority\": 14");
        await _seed.NodeAsync("n3", "10.231.0.13", 130);
        await Eventually.WaitAsync(() => File.ReadAllText(ConfigFile).Contains("10.231.0.13"), "the valid join of n3, despite the bad key of n2");

        File.ReadAllText(ConfigFile).Should().Contain("10.231.0.12", "n2's peer entry comes from its registration, which is still valid");
        _log.Messages.Should().ContainSingle(m => m.StartsWith("Warning") && m.Contains("hamanager/keepalived/nodes/n2") && m.Contains("last valid value"),
            "an invalid key is logged once, not every cycle");
        _watchEngine!.InvalidKeys.Should().ContainSingle().Which.Key.Should().Be("hamanager/keepalived/nodes/n2");

        await _seed.NodeAsync("n2", "10.231.0.12", 140);
        await Eventually.WaitAsync(() => _log.Messages.Any(m => m.Contains("hamanager/keepalived/nodes/n2") && m.Contains("valid again")), "the fix to be noticed");
    }

    [Fact]
    public async Task Run_UnrelatedKeyInvalid_PriorityChangeIsStillRendered()
    {
        // The failover-critical path never waits on an unrelated key: a bad record elsewhere does not hold a priority change back.
        Start();
        await CyclesAsync(1);
        await _seed.RawAsync("hamanager/nodes/n9", "not json");
        await _seed.NodeAsync("n1", "10.231.0.11", 170);
        await Eventually.WaitAsync(() => File.ReadAllText(ConfigFile).Contains("priority 170"), "the new priority of n1");
    }

    [Fact]
    public async Task Run_ValidatorRejectsTheFile_KeepsTheOldOneAndDoesNotReload()
    {
        File.WriteAllText(ConfigFile, "previous good config\n");
        Start(validatorAccepts: false);
        await CyclesAsync(1);
        File.ReadAllText(ConfigFile).Should().Be("previous good config\n");
        _reports.Last().Rejected.Should().BeTrue();
        _services.Reloads("keepalived").Should().Be(0);
        Directory.GetFiles(_dir.Path).Should().ContainSingle("no temp file may be left behind");
    }

    [Fact]
    public async Task Run_ConsulUnavailable_KeepsFileAndCatchesUpWhenBack()
    {
        Start();
        await CyclesAsync(1);
        var before = File.ReadAllText(ConfigFile);
        _kv.Unavailable = true;
        await Eventually.WaitAsync(() => _log.Messages.Any(m => m.Contains("Could not read")), "the outage to be logged");
        File.ReadAllText(ConfigFile).Should().Be(before);

        _kv.Unavailable = false;
        await _seed.NodeAsync("n3", "10.231.0.13", 130);
        await Eventually.WaitAsync(() => File.ReadAllText(ConfigFile).Contains("10.231.0.13"), "the engine to catch up");
        _log.Messages.Should().Contain(m => m.Contains("Consul answered again"));
    }

    private void Start(bool validatorAccepts = true)
    {
        var watcher = KeepalivedWatcherFactory.Create("n1", "10.231.0.11", ConfigFile, validatorAccepts);
        var options = new WatchEngineOptions
        {
            Debounce = TimeSpan.FromMilliseconds(20),
            Wait = TimeSpan.FromSeconds(1),
            InitialRetryDelay = TimeSpan.FromMilliseconds(20),
        };
        var engine = new WatchEngine(_kv, new KvKeys(), [watcher], _services, new ProcessRunner(_log.Logger), options, _log.Logger);
        engine.CycleCompleted += _reports.Enqueue;
        _watchEngine = engine;
        _engine = engine.RunAsync(_stop.Token);
    }

    private Task CyclesAsync(int count) => Eventually.WaitAsync(() => _reports.Count >= count, $"{count} render cycle(s)");
}
