namespace HaManager.Cluster.Consul;

/// <summary>Outcome of /v1/txn. A rolled-back transaction (HTTP 409) has Success false and no writes applied.</summary>
/// <param name="Results">
/// Entries Consul returned, in operation order, but only for verbs that produce one (set, cas, get, get-tree,
/// lock, unlock): delete and check verbs add nothing, so positions do not line up with operation indexes.
/// Values are empty for write verbs.
/// </param>
public sealed record TxnResult(bool Success, IReadOnlyList<KvEntry> Results, IReadOnlyList<TxnError> Errors);
