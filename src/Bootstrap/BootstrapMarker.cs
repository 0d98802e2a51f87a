using System.Text.Json;
using HaManager.Watchers.Files;

namespace HaManager.Bootstrap;

/// <summary>
/// Remembers how this node was bootstrapped, so a re-run converges to the same Consul configuration
/// and a re-run with contradicting arguments is refused instead of re-bootstrapping a joined node.
/// </summary>
public sealed record BootstrapMarker(string Mode, IReadOnlyList<string> Join, string VirtualIp)
{
    public const string FileName = "bootstrap.json";

    public static BootstrapMarker? Read(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<BootstrapMarker>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new BootstrapException($"{path} is not valid JSON ({e.Message}); remove it only if this node was never bootstrapped");
        }
    }

    public Task WriteAsync(string stateDirectory, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(Path.Combine(stateDirectory, FileName), JsonSerializer.Serialize(this) + "\n", cancellationToken: cancellationToken);
}
