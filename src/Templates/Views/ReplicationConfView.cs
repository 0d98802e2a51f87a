using HaManager.Cluster.Model;

namespace HaManager.Templates.Views;

/// <summary>synchronous_standby_names: quorum commit over the standbys registered in KV.</summary>
public sealed class ReplicationConfView
{
    public ReplicationConfView(bool quorum, IEnumerable<NodeName> standbys)
    {
        var names = standbys.Select(s => s.Value).Distinct().Order(StringComparer.Ordinal).ToList();
        Mode = quorum ? "quorum" : "off";
        SynchronousStandbyNames = quorum && names.Count > 0 ? $"ANY 1 ({string.Join(", ", names.Select(n => $"\"{n}\""))})" : string.Empty;
        Explanation = !quorum
            ? "Asynchronous replication: a failover may lose the last acknowledged commits."
            : names.Count == 0
                ? "No standby is registered yet, so commits do not wait."
                : "A commit is acknowledged once at least one standby has it; with no standby reachable, commits wait.";
    }

    public string Mode { get; }
    public string SynchronousStandbyNames { get; }
    public string Explanation { get; }
}
