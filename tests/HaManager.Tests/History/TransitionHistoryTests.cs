using HaManager.Api.Status;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.History;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;
using HaManager.Tests.Support;
using HaManager.Watchers.History;

namespace HaManager.Tests.History;

/// <summary>Reading the newest transitions without reading them all, the history filters, and pruning on the Consul leader only.</summary>
public sealed class TransitionHistoryTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly TestLogger _log = new();

    [Fact]
    public async Task Read_FiltersByNodeServiceAndSince_NewestLast()
    {
        await RecordAsync(Now.AddHours(-3), "n1", "keepalived", "BACKUP", "MASTER");
        await RecordAsync(Now.AddHours(-2), "n1-b", "keepalived", "BACKUP", "MASTER");
        await RecordAsync(Now.AddHours(-1), "n1", "postgres", "STANDBY", "PRIMARY");
        await RecordAsync(Now.AddMinutes(-1), "n2", "keepalived", "MASTER", "BACKUP");
        var history = new TransitionHistory(_kv, _keys);

        var n1 = await history.ReadAsync(new TransitionQuery(10, Node: NodeName.Parse("n1")), CancellationToken.None);
        var keepalived = await history.ReadAsync(new TransitionQuery(10, Service: "keepalived"), CancellationToken.None);
        var lastHours = await history.ReadAsync(new TransitionQuery(10, Since: Now.AddMinutes(-90)), CancellationToken.None);
        var newestTwo = await history.ReadAsync(new TransitionQuery(2), CancellationToken.None);

        n1.Transitions.Select(t => t.Service).Should().Equal(["keepalived", "postgres"], "n1-b's key starts with n1- but its record names n1-b");
        keepalived.Transitions.Select(t => t.Node.Value).Should().Equal("n1", "n1-b", "n2");
        lastHours.Transitions.Select(t => t.At).Should().Equal(Now.AddHours(-1), Now.AddMinutes(-1));
        newestTwo.Transitions.Select(t => t.At).Should().Equal(Now.AddHours(-1), Now.AddMinutes(-1));
    }

    [Fact]
    public async Task Read_ManyTransitions_ReadsOnlyTheValuesItShows()
    {
        for (var i = 0; i < 300; i++) await RecordAsync(Now.AddMinutes(i - 300), $"n{1 + i % 3}", "keepalived", "BACKUP", "MASTER");
        var valueReads = 0;
        _kv.FailureInjector = endpoint =>
        {
            if (endpoint.StartsWith("GET /v1/kv/" + _keys.TransitionsPrefix, StringComparison.Ordinal) && endpoint.Length > ("GET /v1/kv/" + _keys.TransitionsPrefix).Length)
                Interlocked.Increment(ref valueReads);
            return null;
        };

        var status = await new ClusterStatusReader(_kv, _keys).ReadAsync(CancellationToken.None);

        status.Transitions.Should().HaveCount(ClusterStatusReader.TransitionsShown);
        status.Transitions[^1].At.Should().Be(Now.AddMinutes(-1));
        valueReads.Should().Be(ClusterStatusReader.TransitionsShown, "status reads the key names, then only the newest 50 values");
    }

    [Fact]
    public async Task Read_InvalidValue_IsReportedNotShown()
    {
        await RecordAsync(Now.AddMinutes(-2), "n1", "keepalived", "BACKUP", "MASTER");
        await _kv.PutAsync(_keys.Transition(Now.AddMinutes(-1), NodeName.Parse("n2"), "keepalived"), "{\"node\":"u8.ToArray());

        var page = await new TransitionHistory(_kv, _keys).ReadAsync(new TransitionQuery(10), CancellationToken.None);

        page.Transitions.Should().ContainSingle();
        page.Invalid.Should().ContainSingle().Which.Key.Should().EndWith("-n2-keepalived");
    }

    [Fact]
    public async Task Tally_CountsEachTransitionOnce_AndKeepsCountsOfPrunedOnes()
    {
        await RecordAsync(Now.AddMinutes(-2), "n1", "postgres", "STANDBY", "PRIMARY");
        var tally = new TransitionTally();
        var history = new TransitionHistory(_kv, _keys);
        (await tally.CountAsync(history, CancellationToken.None)).Should().ContainSingle().Which.Count.Should().Be(1);

        await _kv.DeleteTreeAsync(_keys.TransitionsPrefix);
        await RecordAsync(Now.AddMinutes(-1), "n2", "postgres", "STANDBY", "PRIMARY");
        var counts = await tally.CountAsync(history, CancellationToken.None);

        counts.Should().ContainSingle().Which.Count.Should().Be(2, "a counter never goes down when history is pruned");
        (await tally.CountAsync(history, CancellationToken.None)).Single().Count.Should().Be(2);
    }

    [Fact]
    public void Retention_KeepsTheNewestWhateverTheirAge_AndDropsTheOldOnesAndThoseBeyondTheCount()
    {
        var names = Enumerable.Range(0, 120).Select(i => Name(Now.AddDays(-i))).ToList();

        var byAge = TransitionRetention.Expired(names, Now, TimeSpan.FromDays(60.5), maxEntries: 1000);
        var byCount = TransitionRetention.Expired(names, Now, TimeSpan.FromDays(1000), maxEntries: 100);
        var allOld = TransitionRetention.Expired(names.Skip(100), Now, TimeSpan.FromDays(1), maxEntries: 1000);

        byAge.Should().HaveCount(59).And.BeInAscendingOrder(StringComparer.Ordinal);
        byAge.Should().NotContain(names[60].Key).And.Contain(names[61].Key);
        byCount.Should().Equal(names.Skip(100).Reverse().Select(n => n.Key));
        allOld.Should().BeEmpty("the newest 50 are kept even when every one is older than the maximum age");
    }

    [Theory]
    [InlineData(true, 50)]
    [InlineData(false, 80)]
    public async Task Pruner_DeletesOnlyOnTheConsulLeadersNode_NeverTheNewest(bool leader, int left)
    {
        // One a day for 80 days: 50 are newer than 50 days; the newest 50 are kept even beyond the 30-day limit.
        for (var i = 0; i < 80; i++) await RecordAsync(Now.AddDays(-i), "n1", "keepalived", "BACKUP", "MASTER");
        var pruner = new HistoryPruner(_kv, _keys, new HistoryOptions { MaxAgeDays = 30, MaxEntries = 1000 }, _ => Task.FromResult(leader),
            new ManualTimeProvider(Now), _log.Logger);

        var sentence = await pruner.PruneAsync(CancellationToken.None);

        var remaining = (await _kv.ListAsync(_keys.TransitionsPrefix)).Value.Select(e => KvJson.Parse<Transition>(e).At).ToList();
        remaining.Should().HaveCount(left);
        remaining.Max().Should().Be(Now, "the newest transition is never pruned");
        if (leader)
        {
            sentence.Should().Be("pruned 30 transition(s) older than 30 days or beyond the newest 1000; 50 kept");
            remaining.Min().Should().Be(Now.AddDays(-49));
        }
        else
        {
            sentence.Should().BeNull("only the Consul leader's node prunes");
        }
    }

    private TransitionKeyName Name(DateTimeOffset at) => TransitionKeyName.TryParse(_keys.Transition(at, NodeName.Parse("n1"), "keepalived"), _keys)!;

    private Task RecordAsync(DateTimeOffset at, string node, string service, string from, string to) =>
        new ClusterSeed(_kv, _keys).TransitionAsync(at, node, service, from, to);
}
