using System.Collections.Concurrent;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Settings;
using HaManager.Tests.Support;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Processes;

namespace HaManager.Tests.Watchers;

/// <summary>
/// A reconciler that hangs (a fence waiting on PostgreSQL, a KV write during a Raft election) must not hold up the
/// watchers that render independently (pgbouncer's retarget, keepalived), while data-directory watchers stay in step
/// with the reconcilers.
/// </summary>
public sealed class WatchEngineLaneTests : IAsyncLifetime
{
    private readonly InMemoryKvStore _kv = new();
    private readonly TempDirectory _dir = new();
    private readonly RecordingServiceManager _services = new();
    private readonly TestLogger _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HangingReconciler _reconciler = new();
    private ClusterSeed _seed = null!;
    private Task _engine = Task.CompletedTask;

    private string KeepalivedConf => _dir.File("keepalived.conf");
    private string NodesFile => _dir.File("nodes.txt");

    public async Task InitializeAsync()
    {
        _seed = new ClusterSeed(_kv);
        await (await (await _seed.ConfigAsync()).NodeAsync("n1", "10.231.0.11", 150)).NodeAsync("n2", "10.231.0.12", 140);
    }

    public async Task DisposeAsync()
    {
        _reconciler.Release();
        await _stop.CancelAsync();
        await _engine;
        _dir.Dispose();
    }

    [Fact]
    public async Task Run_WhileAReconcilerHangs_AnIndependentWatcherStillRenders_AndAnInOrderOneWaitsForIt()
    {
        Start();
        await Eventually.WaitAsync(() => _reconciler.Calls >= 1, "the first reconcile pass to start (and hang)");
        File.ReadAllText(NodesFile).Should().Be("n1,n2", "in-order watchers render before the reconcilers of the same snapshot");

        await _seed.NodeAsync("n3", "10.231.0.13", 130);

        await Eventually.WaitAsync(() => File.Exists(KeepalivedConf) && File.ReadAllText(KeepalivedConf).Contains("10.231.0.13"),
            "keepalived (independent) to render n3 while the reconciler still hangs");
        _reconciler.Calls.Should().Be(1, "the reconciler is still stuck in its first pass");
        File.ReadAllText(NodesFile).Should().Be("n1,n2", "the in-order watcher waits for the reconcilers, as data-directory files must");

        _reconciler.Release();
        await Eventually.WaitAsync(() => File.ReadAllText(NodesFile) == "n1,n2,n3", "the in-order watcher to catch up once the reconciler returns");
    }

    private void Start()
    {
        var keepalived = KeepalivedWatcherFactory.Create("n1", "10.231.0.11", KeepalivedConf);
        var inOrder = new NodeListWatcher(new KvKeys(), NodesFile);
        var options = new WatchEngineOptions
        {
            Debounce = TimeSpan.FromMilliseconds(20),
            Wait = TimeSpan.FromSeconds(1),
            InitialRetryDelay = TimeSpan.FromMilliseconds(20),
            ReconcileInterval = TimeSpan.FromSeconds(30),
        };
        var engine = new WatchEngine(_kv, new KvKeys(), [keepalived, inOrder], _services, new ProcessRunner(_log.Logger), options, _log.Logger, [_reconciler]);
        _engine = engine.RunAsync(_stop.Token);
    }

    /// <summary>Writes the registered node names: a stand-in for a watcher of files in PostgreSQL's data directory.</summary>
    private sealed class NodeListWatcher(KvKeys keys, string path) : IServiceWatcher
    {
        public string Name => "node-list";
        public IReadOnlyList<string> Prefixes { get; } = [keys.NodesPrefix];
        public ServiceTarget Service { get; } = new("node-list", new ServiceOptions());

        public WatchOutput Render(KvSnapshot snapshot)
        {
            var names = snapshot.Under(keys.NodesPrefix).Select(e => e.Key[keys.NodesPrefix.Length..]).Order(StringComparer.Ordinal);
            return WatchOutput.Ready([new RenderedFile(path, string.Join(",", names), UnixFileMode.UserRead | UnixFileMode.UserWrite)], "nodes");
        }
    }

    private sealed class HangingReconciler : IReconciler
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public string Name => "hanging";
        public IReadOnlyList<string> Prefixes { get; } = [];
        public int Calls => Volatile.Read(ref _calls);

        public void Release() => _released.TrySetResult();

        public async Task<string?> ReconcileAsync(KvSnapshot snapshot, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await _released.Task.WaitAsync(cancellationToken);
            return null;
        }
    }
}
