using HaManager.Api.Status;
using HaManager.Watchers.Engine;
using HaManager.Watchers.Failover;
using HaManager.Watchers.Postgres;

namespace HaManager.Api.State;

/// <summary>
/// Everything the HTTP endpoint answers from, each piece stamped with when this node learnt it. Fed by
/// events (the failure detector's reads of the local PostgreSQL, the watch engine's snapshots) and by
/// <see cref="StateRefresher"/>; read by requests without any I/O, so an answer never waits on Consul or
/// PostgreSQL. Each piece is one immutable object swapped in whole, so a reader never sees half an update.
/// </summary>
public sealed class NodeStateCache(string node, TimeProvider time)
{
    private volatile Stamped<PostgresState>? _postgres;
    private volatile Stamped<string?>? _registeredPrimary;
    private volatile Stamped<bool?>? _consul;
    private volatile Stamped<IReadOnlyList<ServiceCheck>>? _services;
    private volatile ClusterReading _cluster = ClusterReading.None;

    public string Node { get; } = node;

    public TimeProvider Time { get; } = time;

    public void OnPostgresState(PostgresState state) => _postgres = new(state, Time.GetUtcNow());

    public void OnSnapshot(KvSnapshot snapshot) => _registeredPrimary = new(ClusterFacts.From(snapshot).VouchedMaster?.Node.Value, Time.GetUtcNow());

    /// <param name="hasLeader">true/false: the agent answered (with or without a Raft leader); null: it did not answer.</param>
    public void OnConsulLeader(bool? hasLeader)
    {
        if (hasLeader is not null) _consul = new(hasLeader, Time.GetUtcNow());
    }

    public void OnServices(IReadOnlyList<ServiceCheck> checks) => _services = new(checks, Time.GetUtcNow());

    /// <param name="startedAt">When the read began: the document is at least that fresh.</param>
    public void OnClusterRead(ClusterSnapshot snapshot, DateTimeOffset startedAt)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(snapshot.Status, ClusterStatus.JsonOptions);
        _cluster = _cluster with { Last = new(snapshot, startedAt), Json = json };
        // Reading KV went through the local agent: that is an answer too.
        if (_consul is null || _consul.At < startedAt) _consul = new(_consul?.Value, startedAt);
    }

    public void OnClusterReadFailed(string error) => _cluster = _cluster with { LastError = new(error, Time.GetUtcNow()) };

    public ClusterReading Cluster => _cluster;

    public NodeFacts Facts()
    {
        var consul = _consul;
        var primary = _registeredPrimary;
        return new NodeFacts(Node, Time.GetUtcNow(), _postgres, primary?.Value, primary is not null, consul?.At, consul?.Value, _services, _cluster);
    }
}
