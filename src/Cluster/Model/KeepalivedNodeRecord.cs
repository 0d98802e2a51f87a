namespace HaManager.Cluster.Model;

/// <summary>A node's VRRP priority and last reported state, under <c>keepalived/nodes/&lt;name&gt;</c>.</summary>
public sealed record KeepalivedNodeRecord : IKvRecord
{
    public required int Priority { get; init; }
    public KeepalivedState State { get; init; } = KeepalivedState.Unknown;
    public DateTimeOffset? Since { get; init; }
    /// <summary>The fork order of the notify hook that reported <see cref="State"/>, so an older, slower hook never overwrites it.</summary>
    public string? ForkOrder { get; init; }

    public IEnumerable<string> Validate()
    {
        if (Priority is < 1 or > 254) yield return $"priority {Priority} is outside 1-254";
        if (ForkOrder is not null && !Model.ForkOrder.TryParse(ForkOrder, out _, out var error)) yield return $"fork_order: {error}";
    }
}
