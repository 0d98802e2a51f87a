using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace HaManager.Cluster.Model;

/// <summary>An interface address with its prefix length, e.g. a virtual IP "10.231.0.100/24".</summary>
public sealed record Cidr(IPAddress Address, int PrefixLength)
{
    public static Cidr Parse(string? text) =>
        TryParse(text, out var cidr, out var error) ? cidr : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Cidr? cidr, [NotNullWhen(false)] out string? error)
    {
        cidr = null;
        var parts = (text ?? string.Empty).Split('/');
        if (parts.Length != 2)
        {
            error = $"'{NodeName.Printable(text ?? string.Empty)}' is not in CIDR form ADDRESS/PREFIX (e.g. 10.0.0.100/24)";
            return false;
        }

        if (!IpAddresses.TryParse(parts[0], out var address, out var addressError))
        {
            error = $"'{NodeName.Printable(text!)}' is not a valid CIDR: {addressError}";
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out var prefix) || prefix < 1 || prefix > max)
        {
            error = $"'{NodeName.Printable(text!)}' has an invalid prefix length (expected 1-{max})";
            return false;
        }

        cidr = new Cidr(address, prefix);
        error = null;
        return true;
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}
