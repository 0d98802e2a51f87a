using System.Net;

namespace HaManager.Cluster.Model;

/// <summary>A registered cluster member, under <c>nodes/&lt;name&gt;</c>.</summary>
public sealed record NodeRecord : IKvRecord
{
    public required NodeName Name { get; init; }
    public required IPAddress Address { get; init; }
    public required DateTimeOffset JoinedAt { get; init; }
    public required string Version { get; init; }

    public IEnumerable<string> Validate()
    {
        if (Version.Length is 0 or > 64 || Version.Any(char.IsControl)) yield return "version must be 1-64 printable characters";
    }
}
