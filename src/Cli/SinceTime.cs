using System.Globalization;

namespace HaManager.Cli;

/// <summary>A --since value: an ISO 8601 time (UTC unless it says otherwise) or a duration before now (30m, 2h, 7d).</summary>
public static class SinceTime
{
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset at)
    {
        if (DurationText.TryParse(text, out var ago))
        {
            at = now - ago;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at)
            && text.Any(char.IsDigit);
    }
}
