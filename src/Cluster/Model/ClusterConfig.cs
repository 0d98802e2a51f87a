namespace HaManager.Cluster.Model;

/// <summary>Cluster-wide settings under the <c>config</c> key, written once by the initializing node.</summary>
public sealed record ClusterConfig : IKvRecord
{
    public const int DefaultVrrpRouterId = 51;
    public const int DefaultTopPriority = 150;
    public const int DefaultPriorityStep = 10;

    public required Cidr VirtualIp { get; init; }
    public int VrrpRouterId { get; init; } = DefaultVrrpRouterId;
    public int AdvertIntSeconds { get; init; } = 1;
    public int TopPriority { get; init; } = DefaultTopPriority;
    public int PriorityStep { get; init; } = DefaultPriorityStep;
    /// <summary>The application database and role clients use through pgbouncer.</summary>
    public SqlIdentifier AppDatabase { get; init; } = SqlIdentifier.Parse("manager");
    public SqlIdentifier AppUser { get; init; } = SqlIdentifier.Parse("manager");
    public required NodeName CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public IEnumerable<string> Validate()
    {
        if (VrrpRouterId is < 1 or > 255) yield return $"vrrp_router_id {VrrpRouterId} is outside 1-255";
        if (AdvertIntSeconds is < 1 or > 255) yield return $"advert_int_seconds {AdvertIntSeconds} is outside 1-255";
        if (TopPriority is < 2 or > 254) yield return $"top_priority {TopPriority} is outside 2-254";
        if (PriorityStep is < 1 or > 100) yield return $"priority_step {PriorityStep} is outside 1-100";
    }
}
