using HaManager.Api.State;

namespace HaManager.Tests.Api;

/// <summary>Local checks a test sets by hand; a Consul check can be made to hang, as a dead agent's would.</summary>
internal sealed class FakeNodeProbes : INodeProbes
{
    public volatile bool HangConsul;

    public bool? ConsulLeader { get; set; } = true;

    public IReadOnlyList<ServiceCheck> Services { get; set; } =
        [new("consul", true), new("keepalived", true), new("postgresql", true), new("repmgrd", true), new("pgbouncer", true)];

    public int Spool { get; set; }

    public int Invalid { get; set; }

    public async Task<bool?> ConsulHasLeaderAsync(CancellationToken cancellationToken)
    {
        if (HangConsul) await Task.Delay(Timeout.Infinite, cancellationToken);
        return ConsulLeader;
    }

    public Task<IReadOnlyList<ServiceCheck>> CheckServicesAsync(CancellationToken cancellationToken) => Task.FromResult(Services);

    public int SpoolDepth() => Spool;

    public int InvalidKeys() => Invalid;
}
