using System.Text.RegularExpressions;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Consul;

/// <summary>
/// Names that end up in URL paths, ACL rules text or certificate names. Each check is an allow-list, so nothing
/// that could close a quoted HCL string, add a path segment or change a DNS name gets through.
/// </summary>
public static partial class ConsulNames
{
    /// <summary>
    /// A datacenter name usable as a DNS label: it becomes part of the server certificate's
    /// <c>server.&lt;datacenter&gt;.consul</c> name that verify_server_hostname checks.
    /// </summary>
    public static bool IsValidDatacenter(string? name) => name is not null && Datacenter().IsMatch(name);

    /// <summary>Consul's own rule for ACL policy names: letters, digits, '-' and '_', at most 128.</summary>
    public static bool IsValidPolicyName(string? name) => name is not null && PolicyName().IsMatch(name);

    /// <summary>Accessor, secret and policy IDs: the 36-character UUID form Consul uses.</summary>
    public static bool IsUuid(string? id) => id is { Length: 36 } && Guid.TryParseExact(id, "D", out _);

    public static string ValidateDatacenter(string? name, string paramName) =>
        IsValidDatacenter(name)
            ? name!
            : throw new ArgumentException(
                $"'{NodeName.Printable(name ?? string.Empty)}' is not a usable Consul datacenter name (1-63 lowercase letters, digits or '-', starting and ending with a letter or digit)",
                paramName);

    public static string ValidatePolicyName(string? name, string paramName) =>
        IsValidPolicyName(name)
            ? name!
            : throw new ArgumentException(
                $"'{NodeName.Printable(name ?? string.Empty)}' is not a valid Consul ACL policy name (1-128 letters, digits, '-' or '_')", paramName);

    public static string ValidateUuid(string? id, string what, string paramName) =>
        IsUuid(id)
            ? id!
            : throw new ArgumentException($"Consul {what} '{NodeName.Printable(id ?? string.Empty)}' is not a 36-character UUID.", paramName);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Datacenter();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex PolicyName();
}
