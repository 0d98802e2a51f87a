namespace HaManager.Cluster.Consul;

/// <param name="Index">X-Consul-Index: feed it back as QueryOptions.WaitIndex (through BlockingIndex) to block.</param>
/// <param name="KnownLeader">X-Consul-KnownLeader: false means the answering server has no leader.</param>
/// <param name="LastContact">X-Consul-LastContact: how stale a Stale read may be.</param>
public sealed record QueryResult<T>(T Value, ulong Index, bool KnownLeader, TimeSpan LastContact);
