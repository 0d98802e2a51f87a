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
    /// <summary>Directories syncthing keeps identical on every node (the seed's resources and plugins by default).</summary>
    public IReadOnlyList<ReplicatedFolder> ReplicatedFolders { get; init; } = ReplicatedFolder.Defaults;
    public required NodeName CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public IEnumerable<string> Validate()
    {
        if (VrrpRouterId is < 1 or > 255) yield return $"vrrp_router_id {VrrpRouterId} is outside 1-255";
        if (AdvertIntSeconds is < 1 or > 255) yield return $"advert_int_seconds {AdvertIntSeconds} is outside 1-255";
        // 253 at most: the primary's track weight (= top_priority) must lift it above every other node, 254 being keepalived's ceiling.
        if (TopPriority is < 2 or > 253) yield return $"top_priority {TopPriority} is outside 2-253";
        if (PriorityStep is < 1 or > 100) yield return $"priority_step {PriorityStep} is outside 1-100";
        if (ReplicatedFolders is null)
        {
            yield return "replicated_folders must be a list (empty for none), not null";
            yield break;
        }

        for (var i = 0; i < ReplicatedFolders.Count; i++)
        {
            var folder = ReplicatedFolders[i];
            if (folder is null)
            {
                yield return $"replicated_folders[{i}] is null";
                continue;
            }

            foreach (var problem in folder.Validate($"replicated_folders[{i}]")) yield return problem;
            for (var j = 0; j < i; j++)
            {
                var earlier = ReplicatedFolders[j];
                if (earlier is null) continue;
                if (earlier.Id == folder.Id) yield return $"replicated_folders[{i}].id '{folder.Id}' is also used by replicated_folders[{j}]";
                else if (folder.Path is not null && earlier.Path is not null && folder.Overlaps(earlier))
                    yield return $"replicated_folders[{i}].path '{folder.Path}' overlaps replicated_folders[{j}].path '{earlier.Path}'";
            }
        }
    }
}
