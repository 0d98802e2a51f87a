namespace HaManager.Api.State;

/// <summary>The local checks that need I/O, run by <see cref="StateRefresher"/> in the background (a fake in unit tests).</summary>
public interface INodeProbes
{
    /// <returns>true/false when the local Consul agent answers (with or without a Raft leader); null when it does not.</returns>
    Task<bool?> ConsulHasLeaderAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ServiceCheck>> CheckServicesAsync(CancellationToken cancellationToken);

    /// <summary>Transitions waiting in the local spool for Consul.</summary>
    int SpoolDepth();

    /// <summary>KV keys whose current value the watch engine found invalid.</summary>
    int InvalidKeys();
}
