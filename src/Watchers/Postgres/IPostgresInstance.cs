namespace HaManager.Watchers.Postgres;

/// <summary>The local PostgreSQL, as the failure detector, the follower and the fencer use it (a fake in unit tests).</summary>
public interface IPostgresInstance
{
    /// <summary>Never throws for an unreachable server: that is <see cref="PostgresState.NotAnswering"/>.</summary>
    Task<PostgresState> ReadStateAsync(CancellationToken cancellationToken);

    /// <summary>Promotes this standby and waits until it accepts writes.</summary>
    Task PromoteAsync(CancellationToken cancellationToken);

    /// <summary>Creates the physical replication slots that do not exist yet (so standbys can follow this new primary at once).</summary>
    Task EnsureSlotsAsync(IReadOnlyCollection<string> slotNames, CancellationToken cancellationToken);

    /// <summary>Points this standby at another upstream: primary_conninfo and primary_slot_name, then a reload (no restart).</summary>
    Task SetUpstreamAsync(StandbyUpstream upstream, CancellationToken cancellationToken);

    /// <summary>A checkpoint (after a promotion: the control file then names the new timeline).</summary>
    Task CheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Clears primary_conninfo/primary_slot_name on a primary, so a clone or rewind taken from it does not inherit them.</summary>
    Task ClearUpstreamAsync(CancellationToken cancellationToken);
}
