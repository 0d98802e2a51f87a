namespace HaManager.Watchers.Failover;

public enum FailoverAction
{
    /// <summary>Nothing to do: the primary answers, or this node cannot be a candidate.</summary>
    None,
    /// <summary>The primary is silent, but a failover is not (yet) justified or another node should promote.</summary>
    Wait,
    /// <summary>This node is the standby to promote.</summary>
    Promote,
}
