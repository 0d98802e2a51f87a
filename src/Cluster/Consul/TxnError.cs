namespace HaManager.Cluster.Consul;

/// <param name="OpIndex">Zero-based position of the failing operation in the submitted list.</param>
public sealed record TxnError(int OpIndex, string What);
