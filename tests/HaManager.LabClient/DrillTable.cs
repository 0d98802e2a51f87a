using System.Text.RegularExpressions;

namespace HaManager.LabClient;

/// <summary>
/// The table a writer fills and a verifier reads: "drill", or LABCLIENT_TABLE when two writers run side by side
/// (their ids would otherwise collide and vouch for each other's writes).
/// </summary>
public static partial class DrillTable
{
    public static string Name { get; } = Choose(Environment.GetEnvironmentVariable("LABCLIENT_TABLE"));

    private static string Choose(string? name) => name is null or "" ? "drill"
        : Identifier().IsMatch(name) ? name
        : throw new ArgumentException($"LABCLIENT_TABLE '{name}' is not a plain lower-case SQL identifier");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
