using HaManager.Cluster.Consul;

namespace HaManager.Watchers.Engine;

/// <summary>What the watchers may use (valid values and last-known-good substitutes), and the keys that are invalid now.</summary>
public sealed record SanitizedEntries(IReadOnlyDictionary<string, KvEntry> Entries, IReadOnlyList<InvalidKey> Invalid);
