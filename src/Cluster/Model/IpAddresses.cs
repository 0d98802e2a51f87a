using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace HaManager.Cluster.Model;

/// <summary>
/// Strict IP address parsing: IPAddress.TryParse alone accepts "1", "0x7f.1" and scope ids,
/// none of which belong in a cluster member's address.
/// </summary>
public static class IpAddresses
{
    public static IPAddress Parse(string? text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        text ??= string.Empty;
        var looksV4 = text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c == '.') && text.Count(c => c == '.') == 3;
        var looksV6 = text.Contains(':') && text.All(c => char.IsAsciiHexDigit(c) || c == ':' || c == '.');
        if ((looksV4 || looksV6) && IPAddress.TryParse(text, out var parsed)
            && (parsed.AddressFamily == AddressFamily.InterNetwork || parsed.AddressFamily == AddressFamily.InterNetworkV6)
            && !parsed.Equals(IPAddress.Any) && !parsed.Equals(IPAddress.IPv6Any))
        {
            address = parsed;
            error = null;
            return true;
        }

        error = $"'{NodeName.Printable(text)}' is not a valid IP address";
        return false;
    }
}
