namespace HaManager.Cluster.Consul;

/// <summary>What happens to the locks of a session when it is invalidated.</summary>
public enum SessionBehavior
{
    /// <summary>Locks are released; the keys stay.</summary>
    Release,

    /// <summary>Locked keys are deleted.</summary>
    Delete,
}
