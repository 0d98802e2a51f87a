using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HaManager.Cluster.Model;

/// <summary>
/// When the kernel created a hook process, as (boot, start tick, pid): the order in which the calling
/// service forked its hooks. keepalived forks one notify script per state change without waiting, so
/// two scripts race; their own clocks say who got CPU first, not which change came first. Two orders
/// from the same boot compare by start tick, then by pid (pids grow within a tick).
/// </summary>
public sealed partial record ForkOrder(string BootId, long StartTicks, int Pid) : IComparable<ForkOrder>
{
    public static ForkOrder Parse(string? text) => TryParse(text, out var order, out var error) ? order : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ForkOrder? order, [NotNullWhen(false)] out string? error)
    {
        order = null;
        var match = Pattern().Match(text ?? string.Empty);
        if (!match.Success)
        {
            error = $"'{NodeName.Printable(text ?? string.Empty)}' is not a fork order BOOT-ID:TICKS:PID";
            return false;
        }

        order = new ForkOrder(match.Groups[1].Value, long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        error = null;
        return true;
    }

    /// <summary>Null when the two come from different boots (or machines): then only wall-clock time can order them.</summary>
    public bool? IsAfter(ForkOrder other) => BootId == other.BootId ? CompareTo(other) > 0 : null;

    public int CompareTo(ForkOrder? other) =>
        other is null ? 1 : StartTicks != other.StartTicks ? StartTicks.CompareTo(other.StartTicks) : Pid.CompareTo(other.Pid);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{BootId}:{StartTicks}:{Pid}");

    [GeneratedRegex("^([0-9a-f-]{36}):([0-9]{1,19}):([0-9]{1,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
