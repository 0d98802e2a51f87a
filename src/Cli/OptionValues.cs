using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace HaManager.Cli;

/// <summary>
/// Options with typed values whose errors speak the operator's language ("--timeout: 'abc' is not a number of
/// seconds") instead of System.CommandLine's ("… as expected type 'System.Double'"), with honest ranges.
/// </summary>
public static class OptionValues
{
    /// <summary>A flag: present or not. It takes no value, so "--json foo" is an unknown argument, not a bad boolean.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A number of seconds, more than 0 and at most <paramref name="max"/>; fractions allowed.</summary>
    public static Option<double> Seconds(string name, string description, double defaultValue, double max) => new(name)
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"{description} (more than 0, at most {max}; default {defaultValue})"),
        HelpName = "SECONDS",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return defaultValue;
            var text = result.Tokens[^1].Value;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
            {
                result.AddError($"{name}: '{text}' is not a number of seconds (e.g. 30 or 2.5)");
                return defaultValue;
            }

            if (seconds is <= 0 || seconds > max)
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} {text}: must be more than 0 and at most {max} seconds"));
            return seconds;
        },
    };

    /// <summary>An optional whole number, at least <paramref name="min"/> (and at most <paramref name="max"/> when given).</summary>
    public static Option<int?> Count(string name, string description, int min, int? max = null) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            var text = result.Tokens[^1].Value;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{name}: '{text}' is not a whole number");
                return null;
            }

            if (value < min) result.AddError($"{name} {text}: must be {min} or more");
            else if (value > max) result.AddError($"{name} {text}: must be {max} or less");
            return value;
        },
    };

    /// <summary>An optional duration such as 90s, 30m, 2h, 1h30m or 1d; more than 0 and at most <paramref name="max"/>.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan max) => new(name)
    {
        Description = $"{description} (e.g. 90s, 30m, 2h, 1h30m; at most {DurationText.Format(max)})",
        HelpName = "DURATION",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            var text = result.Tokens[^1].Value;
            if (!DurationText.TryParse(text, out var duration))
            {
                result.AddError($"{name}: '{text}' is not a duration (a number with s, m, h or d, e.g. 90s, 30m, 2h, 1h30m)");
                return null;
            }

            if (duration <= TimeSpan.Zero || duration > max)
                result.AddError($"{name} {text}: must be more than 0 and at most {DurationText.Format(max)}");
            return duration;
        },
    };
}
