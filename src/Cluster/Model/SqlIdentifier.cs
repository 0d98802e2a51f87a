using System.Text.RegularExpressions;

namespace HaManager.Cluster.Model;

/// <summary>A PostgreSQL role or database name restricted to plain lowercase identifiers, so it never needs quoting anywhere.</summary>
public readonly partial record struct SqlIdentifier
{
    private SqlIdentifier(string value) => Value = value;

    public string Value { get; }

    public static SqlIdentifier Parse(string? text) =>
        text is not null && Pattern().IsMatch(text)
            ? new SqlIdentifier(text)
            : throw new FormatException($"'{NodeName.Printable(text ?? string.Empty)}' is not a plain SQL identifier (lowercase letter or '_', then up to 62 lowercase letters, digits or '_')");

    public override string ToString() => Value ?? string.Empty;

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
