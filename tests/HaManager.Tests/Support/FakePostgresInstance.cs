using HaManager.Watchers.Postgres;

namespace HaManager.Tests.Support;

/// <summary>The local PostgreSQL as the failover code sees it; State is what ReadStateAsync answers, Calls what was asked of it.</summary>
public sealed class FakePostgresInstance : IPostgresInstance
{
    public PostgresState State { get; set; } = new(true, false, 0x5003908, null, null, 1);
    public List<string> Calls { get; } = [];
    public Func<Task>? OnPromote { get; set; }

    public static PostgresState Primary(int freshStandbys = 1) => new(true, false, 0x5003908, null, null, freshStandbys);

    public static PostgresState Standby(ulong lsn, string upstream) => new(true, true, lsn, upstream, "streaming", 0);

    public Task<PostgresState> ReadStateAsync(CancellationToken cancellationToken) => Task.FromResult(State);

    public async Task PromoteAsync(CancellationToken cancellationToken)
    {
        Calls.Add("promote");
        if (OnPromote is not null) await OnPromote();
        State = State with { InRecovery = false, UpstreamHost = null };
    }

    public Task EnsureSlotsAsync(IReadOnlyCollection<string> slotNames, CancellationToken cancellationToken)
    {
        Calls.Add("slots " + string.Join(",", slotNames.Order(StringComparer.Ordinal)));
        return Task.CompletedTask;
    }

    public Task SetUpstreamAsync(StandbyUpstream upstream, CancellationToken cancellationToken)
    {
        Calls.Add($"upstream {upstream.Host} slot {upstream.SlotNameForSelf}");
        State = State with { UpstreamHost = upstream.Host.ToString() };
        return Task.CompletedTask;
    }

    public Task CheckpointAsync(CancellationToken cancellationToken)
    {
        Calls.Add("checkpoint");
        return Task.CompletedTask;
    }

    public Task ClearUpstreamAsync(CancellationToken cancellationToken)
    {
        Calls.Add("clear upstream");
        return Task.CompletedTask;
    }
}
