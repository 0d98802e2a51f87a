using System.Text.Json;

namespace HaManager.Cluster.Consul;

public sealed partial class ConsulClient
{
    /// <summary>Consul 1.8 refuses transactions with more operations than this (HTTP 413).</summary>
    public const int MaxTxnOps = 64;

    /// <summary>Applies all operations atomically; a failed check rolls everything back (Success false, Errors filled).</summary>
    public async Task<TxnResult> TxnAsync(IReadOnlyList<TxnOp> ops, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (ops.Count == 0)
        {
            throw new ArgumentException("A Consul transaction needs at least one operation.", nameof(ops));
        }

        var dtos = new List<TxnOpDto>(ops.Count);
        foreach (var op in ops)
        {
            ArgumentNullException.ThrowIfNull(op, nameof(ops));
            if (op.Verb == "get-tree")
            {
                KvKey.ValidatePrefix(op.Key, nameof(ops));
            }
            else
            {
                // delete-tree included: an empty prefix would wipe the whole store.
                KvKey.ValidateKey(op.Key, nameof(ops));
            }

            dtos.Add(new TxnOpDto(new TxnKvOpDto(op.Verb, op.Key, op.Value, op.Index, op.Session)));
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(dtos, ConsulJsonContext.Default.ListTxnOpDto);
        var response = await _transport.SendAsync(HttpMethod.Put, "v1/txn", "/v1/txn", null, body, null, 409, ct).ConfigureAwait(false);
        var dto = _transport.Read(response, ConsulJsonContext.Default.TxnResponseDto);
        var results = (dto.Results ?? []).Where(r => r.Kv is not null).Select(r => r.Kv!.ToEntry()).ToList();
        var errors = (dto.Errors ?? []).Select(e => new TxnError(e.OpIndex, e.What)).ToList();
        return new TxnResult(response.StatusCode != 409 && errors.Count == 0, results, errors);
    }

    /// <summary>Raft leader's RPC address (host:port), or null while the cluster has no leader.</summary>
    public async Task<string?> StatusLeaderAsync(CancellationToken ct = default)
    {
        var response = await _transport.SendAsync(HttpMethod.Get, "v1/status/leader", "/v1/status/leader", null, null, null, null, ct)
            .ConfigureAwait(false);
        var leader = _transport.Read(response, ConsulJsonContext.Default.String);
        return leader.Length == 0 ? null : leader;
    }

    /// <summary>RPC addresses of the raft peers of the agent's datacenter.</summary>
    public async Task<IReadOnlyList<string>> StatusPeersAsync(CancellationToken ct = default)
    {
        var response = await _transport.SendAsync(HttpMethod.Get, "v1/status/peers", "/v1/status/peers", null, null, null, null, ct)
            .ConfigureAwait(false);
        return _transport.Read(response, ConsulJsonContext.Default.ListString);
    }

    public async Task<AgentSelf> AgentSelfAsync(CancellationToken ct = default)
    {
        var response = await _transport.SendAsync(HttpMethod.Get, "v1/agent/self", "/v1/agent/self", null, null, null, null, ct)
            .ConfigureAwait(false);
        var dto = _transport.Read(response, ConsulJsonContext.Default.AgentSelfDto);
        return new AgentSelf(dto.Config.NodeName, dto.Config.Datacenter, dto.Config.Server, dto.Member.Addr);
    }

    /// <summary>LAN gossip members as this agent sees them.</summary>
    public async Task<IReadOnlyList<AgentMember>> AgentMembersAsync(CancellationToken ct = default)
    {
        var response = await _transport.SendAsync(HttpMethod.Get, "v1/agent/members", "/v1/agent/members", null, null, null, null, ct)
            .ConfigureAwait(false);
        return _transport.Read(response, ConsulJsonContext.Default.ListAgentMemberDto)
            .Select(m => new AgentMember(m.Name, m.Addr, m.Port, m.Status, (IReadOnlyDictionary<string, string>?)m.Tags ?? new Dictionary<string, string>()))
            .ToList();
    }

    /// <summary>Asks the agent to join the LAN gossip pool through <paramref name="address"/> (host or host:port of a serf LAN port).</summary>
    /// <exception cref="ConsulUnavailableException">Also when the join itself fails: Consul reports that as HTTP 500.</exception>
    public async Task AgentJoinAsync(string address, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        await _transport.SendAsync(
                HttpMethod.Put, "v1/agent/join/" + Uri.EscapeDataString(address), "/v1/agent/join/" + address, null, null, null, null, ct)
            .ConfigureAwait(false);
    }

    /// <param name="stale">Let a follower answer from its own copy (works without a leader).</param>
    public async Task<IReadOnlyList<RaftServer>> RaftConfigurationAsync(bool stale = false, CancellationToken ct = default)
    {
        var query = stale ? new QueryOptions { Stale = true } : null;
        var response = await _transport.SendAsync(
                HttpMethod.Get, "v1/operator/raft/configuration", "/v1/operator/raft/configuration", null, null, query, null, ct)
            .ConfigureAwait(false);
        return (_transport.Read(response, ConsulJsonContext.Default.RaftConfigurationDto).Servers ?? [])
            .Select(s => new RaftServer(s.Id, s.Node, s.Address, s.Leader, s.Voter))
            .ToList();
    }

    /// <summary>
    /// Removes a server from the Raft configuration by its RPC address (host:port), the way `consul operator raft
    /// remove-peer` does: for a server that is gone for good, so quorum is counted without it.
    /// </summary>
    public async Task RaftRemovePeerAsync(string address, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        await _transport.SendAsync(HttpMethod.Delete, "v1/operator/raft/peer", "/v1/operator/raft/peer", ["address=" + Uri.EscapeDataString(address)],
                null, null, null, ct)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Moves a gossip member to the "left" state; <paramref name="prune"/> also drops it from the member list at once
    /// (instead of after 72 h), so a machine with the same name can join again later.
    /// </summary>
    public async Task AgentForceLeaveAsync(string node, bool prune, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        await _transport.SendAsync(HttpMethod.Put, "v1/agent/force-leave/" + Uri.EscapeDataString(node), "/v1/agent/force-leave/" + node,
                prune ? ["prune"] : null, null, null, null, ct)
            .ConfigureAwait(false);
    }

    /// <summary>Test seam: the client-side deadline a request with these options gets.</summary>
    internal TimeSpan TimeoutFor(QueryOptions? options) => _transport.TimeoutFor(options);
}
