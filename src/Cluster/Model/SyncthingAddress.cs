using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HaManager.Cluster.Model;

/// <summary>Where a node's syncthing listens, always <c>tcp://IP:PORT</c>: no host names, no dynamic discovery.</summary>
public sealed record SyncthingAddress(IPAddress Address, int Port)
{
    public const int DefaultPort = 22000;

    public static SyncthingAddress Parse(string? text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out SyncthingAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        var shown = NodeName.Printable(text ?? string.Empty);
        if (text is null || !text.StartsWith("tcp://", StringComparison.Ordinal))
        {
            error = $"'{shown}' is not a syncthing address of the form tcp://IP:PORT";
            return false;
        }

        var rest = text["tcp://".Length..];
        // "[fd00::1]" alone has colons but no port: only a colon right after the closing bracket separates one.
        var colon = rest.StartsWith('[') ? rest.IndexOf("]:", StringComparison.Ordinal) + 1 : rest.LastIndexOf(':');
        if (colon <= 0)
        {
            error = $"'{shown}' has no port (expected tcp://IP:PORT)";
            return false;
        }

        var host = rest[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = $"'{shown}': an IPv6 address must be in brackets, e.g. tcp://[fd00::1]:22000";
            return false;
        }

        if (!IpAddresses.TryParse(host, out var ip, out var ipError))
        {
            error = $"'{shown}' is not a syncthing address: {ipError}";
            return false;
        }

        if (!int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{shown}' has an invalid port (expected 1-65535)";
            return false;
        }

        address = new SyncthingAddress(ip, port);
        error = null;
        return true;
    }

    public override string ToString() =>
        Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"tcp://[{Address}]:{Port}" : $"tcp://{Address}:{Port}";
}
