using System.Net;

namespace HaManager.Watchers.Failover;

/// <summary>Asks the other nodes' detectors what they see, directly (not through Consul, which may be leaderless right now).</summary>
public interface IPeerObservers
{
    /// <returns>Each node's view; null for a node that did not answer in time or answered nonsense.</returns>
    Task<IReadOnlyDictionary<string, ObserverView?>> AskAsync(IReadOnlyList<(string Node, IPAddress Address)> peers, TimeSpan timeout, CancellationToken cancellationToken);
}
