using System.Globalization;
using System.Text.RegularExpressions;

namespace HaManager.Cli.Drill;

/// <summary>
/// The table one drill writes to: created fresh (rows of an earlier drill would vouch for this one's lost writes),
/// named after the drill's start so two drills never share one, and dropped afterwards.
/// </summary>
public sealed partial record DrillTable
{
    public const string NamePrefix = "hamanager_drill_";

    private DrillTable(string name) => Name = name;

    /// <summary>A plain lowercase identifier (checked), so quoting it is all SQL needs.</summary>
    public string Name { get; }

    public string Quoted => $"\"{Name}\"";

    public static DrillTable At(DateTimeOffset start) =>
        Parse(NamePrefix + start.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));

    /// <exception cref="FormatException">Not a drill table's name: never interpolated into SQL.</exception>
    public static DrillTable Parse(string name) =>
        Identifier().IsMatch(name) ? new DrillTable(name) : throw new FormatException($"'{name}' is not a drill table name ({NamePrefix} and 14 digits)");

    public override string ToString() => Name;

    [GeneratedRegex("^hamanager_drill_[0-9]{14}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
