using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Model;
using HaManager.Tests.Support;
using HaManager.Watchers.Notify;

namespace HaManager.Tests.Notify;

internal sealed class NotifyTestContext : IDisposable
{
    public InMemoryKvStore Kv { get; } = new();
    public KvKeys Keys { get; } = new();
    public TempDirectory Dir { get; } = new();
    public TestLogger Log { get; } = new();
    public NotifySpool Spool => new(Dir.File("spool"), Log.Logger);
    public TransitionRecorder Recorder => new(Kv, Keys, Log.Logger);

    public KeepalivedNotifyHook Hook(string node = "n2", ForkOrder? forkOrder = null) =>
        new(Recorder, Spool, NodeName.Parse(node), Dir.File("state"), TimeSpan.FromSeconds(3), Log.Logger, forkOrder);

    public static KeepalivedNotifyArguments Args(string state, int priority = 140) =>
        KeepalivedNotifyArguments.Parse("INSTANCE", "VI_1", state, priority.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<IReadOnlyList<Transition>> TransitionsAsync()
    {
        var entries = (await Kv.ListAsync(Keys.TransitionsPrefix)).Value;
        return entries.Select(e => HaManager.Cluster.Json.KvJson.Parse<Transition>(e)).ToList();
    }

    public void Dispose() => Dir.Dispose();
}
