using HaManager.Cli;
using HaManager.Cluster.Consul;

namespace HaManager.Tests.Cli;

/// <summary>Operations ask Consul again when a read gets no answer (a Raft leader just died), and say so; writes are never repeated.</summary>
public sealed class PatientKvStoreTests
{
    private readonly InMemoryKvStore _kv = new();
    private readonly List<string> _notices = [];

    [Fact]
    public async Task Read_UnansweredOnce_IsAskedAgainAndSaysWhy()
    {
        await _kv.PutAsync("hamanager/nodes/n1", "{}"u8.ToArray());
        var flaky = new FailingFirst(_kv, failures: 1);

        var entry = (await Patient(flaky).GetAsync("hamanager/nodes/n1")).Value;

        entry.Should().NotBeNull();
        flaky.Calls.Should().Be(2);
        _notices.Should().ContainSingle().Which.Should().Contain("simulated outage").And.Contain("Asking again (2 of 3)").And.Contain("electing a new leader");
    }

    [Fact]
    public async Task Read_NeverAnswered_FailsAfterThreeAttempts_WithConsulsOwnMessage()
    {
        var flaky = new FailingFirst(_kv, failures: int.MaxValue);

        var act = () => Patient(flaky).ListAsync("hamanager/nodes/");

        (await act.Should().ThrowAsync<ConsulUnavailableException>()).Which.Message.Should().Contain("simulated outage");
        flaky.Calls.Should().Be(3);
        _notices.Should().HaveCount(2);
    }

    [Fact]
    public async Task Write_Unanswered_IsNotRepeated()
    {
        var flaky = new FailingFirst(_kv, failures: 1);

        var act = () => Patient(flaky).PutAsync("hamanager/maintenance", "{}"u8.ToArray());

        await act.Should().ThrowAsync<ConsulUnavailableException>("a write that timed out may have been applied");
        flaky.Calls.Should().Be(1);
        _notices.Should().BeEmpty();
    }

    private PatientKvStore Patient(IKvStore inner) => new(inner, _notices.Add);

    /// <summary>Fails its first <paramref name="failures"/> calls as an unreachable Consul would, then answers from the store.</summary>
    private sealed class FailingFirst(InMemoryKvStore store, int failures) : IKvStore
    {
        public int Calls { get; private set; }

        public Task<QueryResult<KvEntry?>> GetAsync(string key, QueryOptions? options = null, CancellationToken ct = default) => Call(() => store.GetAsync(key, options, ct));
        public Task<QueryResult<IReadOnlyList<KvEntry>>> ListAsync(string prefix, QueryOptions? options = null, CancellationToken ct = default) => Call(() => store.ListAsync(prefix, options, ct));
        public Task<bool> PutAsync(string key, byte[] value, ulong? cas = null, CancellationToken ct = default) => Call(() => store.PutAsync(key, value, cas, ct));
        public Task<bool> DeleteAsync(string key, ulong? cas = null, CancellationToken ct = default) => Call(() => store.DeleteAsync(key, cas, ct));
        public Task<bool> DeleteTreeAsync(string prefix, CancellationToken ct = default) => Call(() => store.DeleteTreeAsync(prefix, ct));

        private Task<T> Call<T>(Func<Task<T>> answer)
        {
            Calls++;
            if (Calls > failures) return answer();
            store.Unavailable = true;
            try
            {
                return answer();
            }
            finally
            {
                store.Unavailable = false;
            }
        }
    }
}
