namespace HaManager.Cluster.Model;

/// <summary>A node's syncthing device, registered by its bootstrap under <c>syncthing/devices/&lt;name&gt;</c>.</summary>
public sealed record SyncthingDeviceRecord : IKvRecord
{
    public required SyncthingDeviceId DeviceId { get; init; }
    public required SyncthingAddress Address { get; init; }
    public DateTimeOffset? RegisteredAt { get; init; }

    public IEnumerable<string> Validate() => [];
}
