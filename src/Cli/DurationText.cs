using System.Globalization;
using System.Text.RegularExpressions;

namespace HaManager.Cli;

/// <summary>Durations as operators type them: 90s, 30m, 2h, 1d, or parts together (1h30m).</summary>
public static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!Whole().IsMatch(text)) return false;
        foreach (Match part in Part().Matches(text))
        {
            var number = double.Parse(part.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            duration += part.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromDays(number),
            };
        }

        return true;
    }

    /// <summary>The shortest exact form: 1h30m, 90s, 7d.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return "0s";
        var text = string.Empty;
        if (duration.Days > 0) text += $"{duration.Days}d";
        if (duration.Hours > 0) text += $"{duration.Hours}h";
        if (duration.Minutes > 0) text += $"{duration.Minutes}m";
        if (duration.Seconds > 0 || text.Length == 0) text += $"{duration.Seconds}s";
        return text;
    }

    [GeneratedRegex(@"^(?:\d+(?:\.\d+)?[smhd])+$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)([smhd])", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
