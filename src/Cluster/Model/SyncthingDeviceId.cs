using System.Diagnostics.CodeAnalysis;

namespace HaManager.Cluster.Model;

/// <summary>
/// A syncthing device ID in its canonical form: 8 groups of 7 base32 characters joined by dashes,
/// whose 4 Luhn check characters (one after every 13 data characters) must be right. A typo or a
/// truncated value never reaches syncthing's configuration.
/// </summary>
public readonly record struct SyncthingDeviceId
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private SyncthingDeviceId(string value) => Value = value;

    public string Value { get; }

    public static SyncthingDeviceId Parse(string? text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    public static bool TryParse(string? text, out SyncthingDeviceId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "a syncthing device ID must not be empty";
            return false;
        }

        var shown = NodeName.Printable(text);
        // Syncthing accepts its IDs with or without dashes and in either case; the canonical form has both fixed.
        var compact = text.Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (compact.Length != 56 || compact.Any(c => Alphabet.IndexOf(c) < 0))
        {
            error = $"'{shown}' is not a syncthing device ID (56 base32 characters A-Z, 2-7, in groups like XXXXXXX-XXXXXXX-…)";
            return false;
        }

        for (var group = 0; group < 4; group++)
        {
            var data = compact.AsSpan(group * 14, 13);
            if (CheckCharacter(data) != compact[group * 14 + 13])
            {
                error = $"'{shown}' is not a syncthing device ID: check character {group + 1} of 4 is wrong (a typo or a truncated value)";
                return false;
            }
        }

        id = new SyncthingDeviceId(string.Join('-', Enumerable.Range(0, 8).Select(i => compact.Substring(i * 7, 7))));
        error = null;
        return true;
    }

    /// <summary>Syncthing's Luhn mod 32 variant: the factor alternates 1, 2, 1, … from the left.</summary>
    private static char CheckCharacter(ReadOnlySpan<char> data)
    {
        const int n = 32;
        var factor = 1;
        var sum = 0;
        foreach (var c in data)
        {
            var addend = factor * Alphabet.IndexOf(c);
            factor = factor == 2 ? 1 : 2;
            sum += addend / n + addend % n;
        }

        return Alphabet[(n - sum % n) % n];
    }

    public override string ToString() => Value ?? string.Empty;
}
