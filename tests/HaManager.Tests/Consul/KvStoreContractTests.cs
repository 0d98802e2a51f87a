using System.Diagnostics;
using System.Text;
using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

/// <summary>
/// KV behaviour every IKvStore must share with Consul 1.8: run against the real agent and against InMemoryKvStore so
/// the fake cannot drift from the real thing.
/// </summary>
public abstract class KvStoreContractTests
{
    /// <summary>Generous bound for "completes at all"; the assertions are about behaviour, not speed.</summary>
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    protected abstract IKvStore Store { get; }

    /// <summary>Unique per test so tests sharing one agent cannot see each other's keys.</summary>
    protected string Prefix { get; } = $"contract/{Guid.NewGuid():N}/";

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task PutAsync_ThenGetAsync_RoundTripsValueAndIndexes()
    {
        (await Store.PutAsync(Prefix + "k", Bytes("hello"))).Should().BeTrue();

        var result = await Store.GetAsync(Prefix + "k");

        result.Value.Should().NotBeNull();
        result.Value!.Key.Should().Be(Prefix + "k");
        result.Value.ValueAsString().Should().Be("hello");
        result.Value.CreateIndex.Should().BeGreaterThan(0);
        result.Value.ModifyIndex.Should().Be(result.Value.CreateIndex);
        result.Value.Session.Should().BeNull();
        result.Index.Should().Be(result.Value.ModifyIndex);
        result.KnownLeader.Should().BeTrue();
    }

    [Fact]
    public async Task PutAsync_OverwriteWithNewValue_KeepsCreateIndexAndRaisesModifyIndex()
    {
        await Store.PutAsync(Prefix + "k", Bytes("one"));
        var first = (await Store.GetAsync(Prefix + "k")).Value!;

        await Store.PutAsync(Prefix + "k", Bytes("two"));
        var second = (await Store.GetAsync(Prefix + "k")).Value!;

        second.CreateIndex.Should().Be(first.CreateIndex);
        second.ModifyIndex.Should().BeGreaterThan(first.ModifyIndex);
        second.ValueAsString().Should().Be("two");
    }

    [Fact]
    public async Task PutAsync_SameValueTwice_KeepsModifyIndex()
    {
        await Store.PutAsync(Prefix + "k", Bytes("same"));
        var first = (await Store.GetAsync(Prefix + "k")).Value!;

        (await Store.PutAsync(Prefix + "k", Bytes("same"))).Should().BeTrue();

        (await Store.GetAsync(Prefix + "k")).Value!.ModifyIndex.Should().Be(first.ModifyIndex);
    }

    [Fact]
    public async Task PutAsync_EmptyValue_ReadsBackEmptyArray()
    {
        await Store.PutAsync(Prefix + "empty", []);

        var entry = (await Store.GetAsync(Prefix + "empty")).Value;

        entry.Should().NotBeNull();
        entry!.Value.Should().NotBeNull().And.BeEmpty();
    }

    [Fact]
    public async Task PutAsync_KeyWithReservedCharacters_RoundTripsExactKey()
    {
        var key = Prefix + "a b/ü/q?x#y%z&w=1+2";
        await Store.PutAsync(key, Bytes("v"));

        var entry = (await Store.GetAsync(key)).Value;

        entry.Should().NotBeNull();
        entry!.Key.Should().Be(key);
        (await Store.ListAsync(Prefix)).Value.Select(e => e.Key).Should().Equal(key);
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNullWithIndex()
    {
        var result = await Store.GetAsync(Prefix + "missing");

        result.Value.Should().BeNull();
        result.Index.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task ListAsync_Recurse_ReturnsSortedEntriesUnderPrefixOnly()
    {
        await Store.PutAsync(Prefix + "dir/c/deep", Bytes("3"));
        await Store.PutAsync(Prefix + "dir/b", Bytes("2"));
        await Store.PutAsync(Prefix + "dir/a", Bytes("1"));
        await Store.PutAsync(Prefix + "dirx", Bytes("sibling"));
        await Store.PutAsync(Prefix + "other/a", Bytes("elsewhere"));

        var result = await Store.ListAsync(Prefix + "dir/");

        result.Value.Select(e => e.Key).Should().Equal(Prefix + "dir/a", Prefix + "dir/b", Prefix + "dir/c/deep");
        result.Value.Select(e => e.ValueAsString()).Should().Equal("1", "2", "3");
        result.Index.Should().Be(result.Value.Max(e => e.ModifyIndex));
    }

    [Fact]
    public async Task ListAsync_MissingPrefix_ReturnsEmptyListWithIndex()
    {
        var result = await Store.ListAsync(Prefix + "nothing/");

        result.Value.Should().NotBeNull().And.BeEmpty();
        result.Index.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task ListAsync_AfterDeletingNewestKey_IndexStillAdvances()
    {
        await Store.PutAsync(Prefix + "a", Bytes("1"));
        await Store.PutAsync(Prefix + "b", Bytes("2"));
        var before = await Store.ListAsync(Prefix);

        await Store.DeleteAsync(Prefix + "b");
        var after = await Store.ListAsync(Prefix);

        after.Value.Select(e => e.Key).Should().Equal(Prefix + "a");
        after.Index.Should().BeGreaterThan(before.Index, "the delete's tombstone counts for the prefix index");
    }

    [Fact]
    public async Task PutAsync_CasZeroOnExistingKey_ReturnsFalseAndKeepsValue()
    {
        (await Store.PutAsync(Prefix + "k", Bytes("first"), cas: 0)).Should().BeTrue();

        (await Store.PutAsync(Prefix + "k", Bytes("second"), cas: 0)).Should().BeFalse();

        (await Store.GetAsync(Prefix + "k")).Value!.ValueAsString().Should().Be("first");
    }

    [Fact]
    public async Task PutAsync_CasWithStaleModifyIndex_ReturnsFalseAndCurrentIndexWins()
    {
        await Store.PutAsync(Prefix + "k", Bytes("v1"));
        var stale = (await Store.GetAsync(Prefix + "k")).Value!.ModifyIndex;
        await Store.PutAsync(Prefix + "k", Bytes("v2"));
        var current = (await Store.GetAsync(Prefix + "k")).Value!.ModifyIndex;

        (await Store.PutAsync(Prefix + "k", Bytes("lost"), cas: stale)).Should().BeFalse();
        (await Store.PutAsync(Prefix + "k", Bytes("won"), cas: current)).Should().BeTrue();

        (await Store.GetAsync(Prefix + "k")).Value!.ValueAsString().Should().Be("won");
    }

    [Fact]
    public async Task PutAsync_CasNonZeroOnMissingKey_ReturnsFalse()
    {
        (await Store.PutAsync(Prefix + "k", Bytes("v"), cas: 7)).Should().BeFalse();

        (await Store.GetAsync(Prefix + "k")).Value.Should().BeNull();
    }

    [Fact]
    public async Task DeleteAsync_CasWithStaleIndex_ReturnsFalseAndKeepsKey()
    {
        await Store.PutAsync(Prefix + "k", Bytes("v1"));
        var stale = (await Store.GetAsync(Prefix + "k")).Value!.ModifyIndex;
        await Store.PutAsync(Prefix + "k", Bytes("v2"));

        (await Store.DeleteAsync(Prefix + "k", cas: stale)).Should().BeFalse();

        (await Store.GetAsync(Prefix + "k")).Value.Should().NotBeNull();
    }

    [Fact]
    public async Task DeleteAsync_CasWithCurrentIndex_RemovesKey()
    {
        await Store.PutAsync(Prefix + "k", Bytes("v"));
        var current = (await Store.GetAsync(Prefix + "k")).Value!.ModifyIndex;

        (await Store.DeleteAsync(Prefix + "k", cas: current)).Should().BeTrue();

        (await Store.GetAsync(Prefix + "k")).Value.Should().BeNull();
    }

    [Fact]
    public async Task DeleteAsync_MissingKeyWithOrWithoutCas_ReturnsTrue()
    {
        (await Store.DeleteAsync(Prefix + "missing")).Should().BeTrue();
        (await Store.DeleteAsync(Prefix + "missing", cas: 5)).Should().BeTrue();
    }

    [Fact]
    public async Task DeleteTreeAsync_Prefix_RemovesOnlyKeysUnderPrefix()
    {
        await Store.PutAsync(Prefix + "tree/a", Bytes("1"));
        await Store.PutAsync(Prefix + "tree/b/c", Bytes("2"));
        await Store.PutAsync(Prefix + "keep/a", Bytes("3"));

        (await Store.DeleteTreeAsync(Prefix + "tree/")).Should().BeTrue();

        (await Store.ListAsync(Prefix + "tree/")).Value.Should().BeEmpty();
        (await Store.ListAsync(Prefix)).Value.Select(e => e.Key).Should().Equal(Prefix + "keep/a");
    }

    [Fact]
    public async Task DeleteTreeAsync_EmptyPrefix_ThrowsArgumentException()
    {
        var act = () => Store.DeleteTreeAsync(string.Empty);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Theory]
    [InlineData("/leading", "'/leading'")]
    [InlineData("a/../b", "'a/../b'")]
    [InlineData("a/./b", "'a/./b'")]
    [InlineData("a//b", "'a//b'")]
    [InlineData("bell\u0007key", "'bell\\u0007key'")]
    [InlineData("new\nline", "'new\\u000Aline'")]
    public async Task PutAsync_InvalidKey_ThrowsArgumentExceptionNamingKey(string key, string expectedFragment)
    {
        var act = () => Store.PutAsync(key, Bytes("v"));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(expectedFragment);
    }

    [Fact]
    public async Task GetAsync_EmptyKey_ThrowsArgumentException()
    {
        var act = () => Store.GetAsync(string.Empty);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task ListAsync_BlockingWhenKeyUnderPrefixChanges_ReturnsNewDataWithHigherIndex()
    {
        await Store.PutAsync(Prefix + "a", Bytes("1"));
        var initial = await Store.ListAsync(Prefix);

        // WaitTime far beyond Deadline: finishing within Deadline proves the write woke the read.
        var blocked = Store.ListAsync(Prefix, new QueryOptions { WaitIndex = initial.Index, WaitTime = TimeSpan.FromSeconds(60) });
        await Store.PutAsync(Prefix + "b", Bytes("2"));
        var result = await blocked.WaitAsync(Deadline);

        result.Index.Should().BeGreaterThan(initial.Index);
        result.Value.Select(e => e.Key).Should().Equal(Prefix + "a", Prefix + "b");
    }

    [Fact]
    public async Task ListAsync_BlockingWhenKeyUnderPrefixDeleted_ReturnsWithoutIt()
    {
        await Store.PutAsync(Prefix + "a", Bytes("1"));
        await Store.PutAsync(Prefix + "b", Bytes("2"));
        var initial = await Store.ListAsync(Prefix);

        var blocked = Store.ListAsync(Prefix, new QueryOptions { WaitIndex = initial.Index, WaitTime = TimeSpan.FromSeconds(60) });
        await Store.DeleteAsync(Prefix + "a");
        var result = await blocked.WaitAsync(Deadline);

        result.Index.Should().BeGreaterThan(initial.Index);
        result.Value.Select(e => e.Key).Should().Equal(Prefix + "b");
    }

    [Fact]
    public async Task GetAsync_BlockingWhenKeyChanges_ReturnsNewValue()
    {
        await Store.PutAsync(Prefix + "k", Bytes("old"));
        var initial = await Store.GetAsync(Prefix + "k");

        var blocked = Store.GetAsync(Prefix + "k", new QueryOptions { WaitIndex = initial.Index, WaitTime = TimeSpan.FromSeconds(60) });
        await Store.PutAsync(Prefix + "k", Bytes("new"));
        var result = await blocked.WaitAsync(Deadline);

        result.Index.Should().BeGreaterThan(initial.Index);
        result.Value!.ValueAsString().Should().Be("new");
    }

    [Fact]
    public async Task ListAsync_BlockingWithNoChanges_ReturnsSameIndexAfterWaitTime()
    {
        await Store.PutAsync(Prefix + "a", Bytes("1"));
        var initial = await Store.ListAsync(Prefix);
        var clock = Stopwatch.StartNew();

        var result = await Store.ListAsync(Prefix, new QueryOptions { WaitIndex = initial.Index, WaitTime = TimeSpan.FromSeconds(1) })
            .WaitAsync(Deadline);

        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(800), "the read must actually block");
        result.Index.Should().Be(initial.Index);
        Snapshot(result.Value).Should().Equal(Snapshot(initial.Value));
    }

    [Fact]
    public async Task ListAsync_BlockingWhenOtherPrefixChanges_ReturnsUnchangedData()
    {
        await Store.PutAsync(Prefix + "watched/a", Bytes("1"));
        var initial = await Store.ListAsync(Prefix + "watched/");

        // Consul documents that a blocking read may return without a change, so only the data is asserted.
        var blocked = Store.ListAsync(Prefix + "watched/", new QueryOptions { WaitIndex = initial.Index, WaitTime = TimeSpan.FromSeconds(1) });
        await Store.PutAsync(Prefix + "other/x", Bytes("2"));
        var result = await blocked.WaitAsync(Deadline);

        Snapshot(result.Value).Should().Equal(Snapshot(initial.Value));
    }

    [Fact]
    public async Task ListAsync_BlockingOnEmptyPrefixWhenOtherPrefixChanges_WakesWithEmptyDataAndHigherIndex()
    {
        var initial = await Store.ListAsync(Prefix + "empty/");

        // Consul 1.8 reports the whole KV table's index for a prefix with no entries or tombstones, so any write
        // wakes the read: callers must compare data, not just indexes. The fake mirrors this.
        var blocked = Store.ListAsync(Prefix + "empty/", new QueryOptions { WaitIndex = initial.Index, WaitTime = TimeSpan.FromSeconds(60) });
        await Store.PutAsync(Prefix + "other/x", Bytes("2"));
        var result = await blocked.WaitAsync(Deadline);

        result.Value.Should().BeEmpty();
        result.Index.Should().BeGreaterThan(initial.Index);
    }

    [Fact]
    public async Task ListAsync_BlockingCancelledByCaller_ThrowsOperationCanceledException()
    {
        await Store.PutAsync(Prefix + "a", Bytes("1"));
        var initial = await Store.ListAsync(Prefix);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => Store.ListAsync(Prefix, new QueryOptions { WaitIndex = initial.Index, WaitTime = TimeSpan.FromSeconds(60) }, cts.Token)
            .WaitAsync(Deadline);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static IEnumerable<string> Snapshot(IEnumerable<KvEntry> entries) =>
        entries.Select(e => $"{e.Key}={e.ValueAsString()}@{e.ModifyIndex}");
}
