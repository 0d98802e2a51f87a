using System.Globalization;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Notify;

/// <summary>repmgr's event_notification_command placeholders, parsed and bounded before anything uses them.</summary>
public sealed record RepmgrNotifyArguments(int NodeId, string Event, bool Success, string? Timestamp, string? Details)
{
    public static RepmgrNotifyArguments Parse(string nodeId, string eventName, string success, string? timestamp, string? details)
    {
        if (!int.TryParse(nodeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            throw new FormatException($"--node-id '{NodeName.Printable(nodeId)}' is not a positive number");
        if (eventName.Length is 0 or > 64 || !eventName.All(c => c is (>= 'a' and <= 'z') or '_' or (>= '0' and <= '9')))
            throw new FormatException($"--event '{NodeName.Printable(eventName)}' is not a repmgr event name");
        var ok = success switch
        {
            "1" => true,
            "0" => false,
            _ => throw new FormatException($"--success '{NodeName.Printable(success)}' is not 1 or 0"),
        };
        var trimmedDetails = details is null ? null : NodeName.Printable(details.Length > 500 ? details[..500] : details);
        var trimmedTimestamp = timestamp is null ? null : NodeName.Printable(timestamp.Length > 64 ? timestamp[..64] : timestamp);
        return new RepmgrNotifyArguments(id, eventName, ok, trimmedTimestamp, trimmedDetails);
    }
}
