namespace HaManager.Cluster.Model;

/// <summary>Where a re-clone request stands: the requesting command writes Requested, the target node's watcher the rest.</summary>
public enum ReinitState
{
    Requested,
    Running,
    Done,
    Failed,
}
