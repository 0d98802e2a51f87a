using HaManager.Cluster.Model;

namespace HaManager.Api.Status;

/// <summary>One read of the cluster: the `status --json` document and the history figures `/metrics` adds to it.</summary>
/// <param name="TransitionCounts">Every transition the reader's tally has seen, counted once by service, from and to; pruned ones keep their count.</param>
/// <param name="LastDrill">The newest failover drill on record; null when none was run.</param>
public sealed record ClusterSnapshot(ClusterStatus Status, IReadOnlyList<TransitionCount> TransitionCounts, DrillRecord? LastDrill);
