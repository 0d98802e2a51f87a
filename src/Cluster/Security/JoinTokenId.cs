using System.Security.Cryptography;
using System.Text.RegularExpressions;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.Security;

/// <summary>
/// The public half of a join token (16 lowercase hex digits): names its KV record (<c>join/&lt;id&gt;</c>) and its
/// ACL policy, appears in logs and in `join-token list`. Knowing it gives nothing; the secret half is separate.
/// </summary>
public readonly partial record struct JoinTokenId
{
    private JoinTokenId(string value) => Value = value;

    public string Value { get; }

    public static JoinTokenId New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));

    public static JoinTokenId Parse(string? text) =>
        TryParse(text, out var id)
            ? id
            : throw new FormatException($"'{NodeName.Printable(text ?? string.Empty)}' is not a join token id (16 lowercase hex digits)");

    public static bool TryParse(string? text, out JoinTokenId id)
    {
        id = text is not null && Pattern().IsMatch(text) ? new JoinTokenId(text) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value ?? string.Empty;

    [GeneratedRegex("^[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
