using HaManager.Watchers.Syncthing;
using static HaManager.Tests.Syncthing.SyncthingFixtures;

namespace HaManager.Tests.Syncthing;

public sealed class ReplicationWaiterTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan LongTimeout = TimeSpan.FromSeconds(10);
    private static readonly string[] Folders = ["resources", "plugins"];
    private static readonly SyncthingPeer[] Peers = [Peer("n2"), Peer("n3")];

    private readonly FakeSyncthingApi _api = new();

    public ReplicationWaiterTests()
    {
        foreach (var folder in Folders) _api.ShareFolder(folder, Self, N2, N3);
        _api.Connections[N2] = true;
        _api.Connections[N3] = true;
    }

    [Fact]
    public async Task Wait_EveryPeerConnectedAndComplete_IsReplicatedAfterScanningFirst()
    {
        var result = await WaitAsync(LongTimeout);

        result.Replicated.Should().BeTrue();
        result.Confirmed.Select(n => n.Value).Should().Equal("n2", "n3");
        result.Lagging.Should().BeEmpty();
        _api.Calls.Take(2).Should().Equal("scan resources", "scan plugins");
        _api.Scans.Should().Equal(Folders, "each folder is scanned exactly once, before any completion is believed");
        _api.Calls.Should().Contain([$"completion resources {N2}", $"completion plugins {N2}", $"completion resources {N3}", $"completion plugins {N3}"]);
    }

    [Theory]
    [InlineData(false, true, 100.0, "plugins, resources", "not replicated: n3 is not connected (syncthing at tcp://10.231.0.13:22000)")]
    [InlineData(true, false, 100.0, "plugins", "is not shared with it yet")]
    [InlineData(true, true, 99.5, "plugins", "at 99.5 % (3 item(s), 1024 bytes, 0 deletion(s) to go)")]
    public async Task Wait_OnePeerBehind_TimesOutNamingItAndWhy(bool n3Connected, bool pluginsShared, double n3Plugins, string folder, string reason)
    {
        _api.Connections[N3] = n3Connected;
        if (!pluginsShared) _api.ShareFolder("plugins", Self, N2);
        _api.Completion = (f, device) => device == N3 && f == "plugins" ? CompletionOf(n3Plugins) : Complete;

        var result = await WaitAsync(ShortTimeout, folders: ["plugins", "resources"]);

        result.Replicated.Should().BeFalse();
        result.Elapsed.Should().BeGreaterThanOrEqualTo(ShortTimeout);
        result.Confirmed.Select(n => n.Value).Should().Equal("n2");
        var lagging = result.Lagging.Should().ContainSingle().Subject;
        lagging.Node.Value.Should().Be("n3");
        lagging.Folder.Should().Be(folder);
        lagging.Reason.Should().Contain(reason);
        lagging.ToString().Should().StartWith($"n3: {folder} ");
        _api.Calls.Count(c => c == "connections").Should().BeGreaterThan(1, "it polls until the timeout");
    }

    [Fact]
    public async Task Wait_WhileAPeerLags_ReportsWhoAndWhyAfterEachPoll()
    {
        _api.Connections[N3] = false;
        var reports = new List<string>();

        await new ReplicationWaiter(_api, TimeSpan.FromMilliseconds(10))
            .WaitAsync(Peers, ["resources"], ShortTimeout, null, CancellationToken.None, new SynchronousProgress(reports.Add));

        reports.Should().NotBeEmpty();
        reports[0].Should().StartWith("1 of 2 confirmed; n3: resources not replicated: n3 is not connected").And.EndWith(" s left)");
    }

    [Fact]
    public async Task Wait_PeerReporting100ButHavingAnnouncedNothing_IsStillLagging()
    {
        // syncthing 1.19 keeps no need counters for a device that never sent an index entry, and answers 100 %.
        _api.Completion = (_, device) => device == N3 ? NothingAnnounced : Complete;

        var result = await WaitAsync(ShortTimeout, folders: ["resources"]);

        result.Replicated.Should().BeFalse();
        result.Lagging.Should().ContainSingle().Which.Reason.Should().Contain("has not announced any of its 3 item(s) yet");
    }

    [Fact]
    public async Task Wait_CompletionRisesTo100_IsReplicatedOnceItDoes()
    {
        var polls = 0;
        _api.Completion = (_, device) => device == N3 ? (Interlocked.Increment(ref polls) < 6 ? Partial(40 + polls * 10) : Complete) : Complete;

        var result = await WaitAsync(LongTimeout);

        result.Replicated.Should().BeTrue();
        result.Confirmed.Select(n => n.Value).Should().Equal("n2", "n3");
        polls.Should().BeGreaterThanOrEqualTo(6, "n3 needed several polls to catch up");
        _api.Scans.Should().Equal(Folders, "scanning happens once, not on every poll");
    }

    [Fact]
    public async Task Wait_OnePeerRequiredAndOneDown_IsReplicatedWithTheOtherConfirmed()
    {
        _api.Connections[N3] = false;

        var result = await WaitAsync(LongTimeout, requiredPeers: 1);

        result.Replicated.Should().BeTrue();
        result.Elapsed.Should().BeLessThan(LongTimeout / 2, "the one required peer was there from the start");
        result.Confirmed.Select(n => n.Value).Should().Equal("n2");
        result.Lagging.Should().ContainSingle().Which.Node.Value.Should().Be("n3");
    }

    [Fact]
    public async Task Wait_AllPeersRequiredAndOneDown_IsNotReplicated()
    {
        _api.Connections.Remove(N3); // syncthing lists no connection at all for a device it never reached

        var result = await WaitAsync(ShortTimeout, requiredPeers: 5);

        result.Replicated.Should().BeFalse("requiring more peers than exist means all of them");
        result.Lagging.Should().ContainSingle().Which.Reason.Should().Contain("n3 is not connected");
    }

    [Fact]
    public async Task Wait_NoPeers_IsReplicatedImmediately()
    {
        var result = await WaitAsync(LongTimeout, peers: []);

        result.Replicated.Should().BeTrue();
        result.Confirmed.Should().BeEmpty();
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        _api.Calls.Should().NotContain(c => c.StartsWith("completion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wait_ApiUnreachable_Throws()
    {
        _api.Unreachable = true;
        var act = () => WaitAsync(ShortTimeout);
        await act.Should().ThrowAsync<SyncthingApiException>().WithMessage("*is syncthing running?*");
    }

    private Task<ReplicationResult> WaitAsync(TimeSpan timeout, int? requiredPeers = null, SyncthingPeer[]? peers = null, string[]? folders = null) =>
        new ReplicationWaiter(_api, TimeSpan.FromMilliseconds(20)).WaitAsync(peers ?? Peers, folders ?? Folders, timeout, requiredPeers, CancellationToken.None);

    private static FolderCompletion CompletionOf(double percent) => percent >= 100 ? Complete : Partial(percent);

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
