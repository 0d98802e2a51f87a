using HaManager.Cluster.Model;

namespace HaManager.Cluster.History;

/// <summary>Which transitions to read: the newest <see cref="Limit"/> that match every filter given.</summary>
public sealed record TransitionQuery(int Limit, NodeName? Node = null, string? Service = null, DateTimeOffset? Since = null)
{
    public bool Matches(Transition transition) =>
        (Node is not { } node || transition.Node == node)
        && (Service is not { } service || transition.Service == service)
        && (Since is not { } since || transition.At >= since);
}
