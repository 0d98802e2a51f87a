using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace HaManager.Cluster.Model;

/// <summary>
/// A cluster member's name. It becomes part of KV keys, Consul's node name and configuration files,
/// so only a conservative DNS-label alphabet is accepted: no whitespace, quotes, braces or slashes.
/// </summary>
public readonly partial record struct NodeName
{
    public const int MaxLength = 63;

    private NodeName(string value) => Value = value;

    public string Value { get; }

    public static NodeName Parse(string? text) =>
        TryParse(text, out var name, out var error) ? name : throw new FormatException(error);

    public static bool TryParse(string? text, out NodeName name, [NotNullWhen(false)] out string? error)
    {
        name = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "a node name must not be empty";
            return false;
        }

        if (text.Length > MaxLength || !Pattern().IsMatch(text))
        {
            error = $"'{Printable(text)}' is not a valid node name (1-{MaxLength} letters, digits, '-' or '_', starting and ending with a letter or digit)";
            return false;
        }

        name = new NodeName(text);
        error = null;
        return true;
    }

    public override string ToString() => Value ?? string.Empty;

    /// <summary>Shows control characters escaped so an error message cannot itself inject lines.</summary>
    public static string Printable(string text) =>
        Regex.Replace(text.Length > 80 ? text[..80] + "…" : text, @"\p{C}", m => $"\\u{(int)m.Value[0]:x4}");

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
