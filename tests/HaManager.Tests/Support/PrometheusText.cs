using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HaManager.Tests.Support;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4 (what `promtool check metrics` checks, less
/// its naming lint): every line is a HELP, a TYPE, a comment or a sample; names and label names are valid;
/// label values are properly quoted and escaped; values parse as floats; a metric's TYPE comes before its
/// samples and once; a metric's samples are not split up; no series appears twice. Any violation throws with
/// the line number.
/// </summary>
public static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        /// <summary>Exactly these labels, no more.</summary>
        public bool Has(params (string Label, string Value)[] labels) =>
            labels.Length == Labels.Count && labels.All(l => Labels.TryGetValue(l.Label, out var v) && v == l.Value);
    }

    public sealed record Exposition(IReadOnlyDictionary<string, string> Types, IReadOnlyList<Sample> Samples)
    {
        public IEnumerable<Sample> Series(string name) => Samples.Where(s => s.Name == name);

        public double? Value(string name, params (string Label, string Value)[] labels) =>
            Series(name).Where(s => s.Has(labels)).Select(s => (double?)s.Value).SingleOrDefault();
    }

    private static readonly string[] KnownTypes = ["counter", "gauge", "histogram", "summary", "untyped"];
    private static readonly string[] Suffixes = ["_bucket", "_sum", "_count", "_created"];

    public static Exposition Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n')) throw new FormatException("the exposition must end with a line feed");
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var series = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] is "HELP" or "TYPE")
                {
                    var name = parts[2];
                    if (!MetricName().IsMatch(name)) Fail(number, $"invalid metric name '{name}'");
                    Switch(ref current, name, finished, number);
                    if (parts[1] == "HELP")
                    {
                        if (!helps.Add(name)) Fail(number, $"second HELP for {name}");
                        if (parts.Length == 4) Unescape(parts[3], number, quoted: false);
                    }
                    else
                    {
                        if (parts.Length != 4 || !KnownTypes.Contains(parts[3])) Fail(number, $"TYPE of {name} must be one of {string.Join(", ", KnownTypes)}");
                        if (samples.Any(s => Family(s.Name, types) == name)) Fail(number, $"TYPE of {name} after its samples");
                        if (!types.TryAdd(name, parts[3])) Fail(number, $"second TYPE for {name}");
                    }
                }

                continue;
            }

            var sample = ParseSample(line, number);
            var family = Family(sample.Name, types);
            Switch(ref current, family, finished, number);
            if (types.TryGetValue(family, out var type) && type == "counter" && family == sample.Name && !family.EndsWith("_total", StringComparison.Ordinal))
                Fail(number, $"counter {family} should end in _total");
            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!series.Add(key)) Fail(number, $"duplicate series {key}");
            samples.Add(sample);
        }

        return new Exposition(types, samples);
    }

    /// <summary>The metric a sample belongs to: histogram and summary samples carry a suffix.</summary>
    private static string Family(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name)) return name;
        foreach (var suffix in Suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.ContainsKey(name[..^suffix.Length])) return name[..^suffix.Length];
        }

        return name;
    }

    private static void Switch(ref string? current, string name, HashSet<string> finished, int number)
    {
        if (current == name) return;
        if (finished.Contains(name)) Fail(number, $"the lines of {name} are not together");
        if (current is not null) finished.Add(current);
        current = name;
    }

    private static Sample ParseSample(string line, int number)
    {
        var match = SampleLine().Match(line);
        if (!match.Success) Fail(number, $"not a sample line: '{line}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = match.Groups["labels"].Value;
        while (rest.Length > 0)
        {
            var label = LabelPair().Match(rest);
            if (!label.Success) Fail(number, $"bad label list '{match.Groups["labels"].Value}'");
            var name = label.Groups["name"].Value;
            if (name.StartsWith("__", StringComparison.Ordinal)) Fail(number, $"label {name} is reserved");
            if (!labels.TryAdd(name, Unescape(label.Groups["value"].Value, number, quoted: true))) Fail(number, $"label {name} twice");
            rest = rest[label.Length..];
        }

        return new Sample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value, number));
    }

    private static double ParseValue(string text, int number) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => Fail<double>(number, $"'{text}' is not a float"),
    };

    private static string Unescape(string text, int number, bool quoted)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\') { result.Append(text[i]); continue; }
            if (++i == text.Length) Fail(number, "a backslash ends the text");
            result.Append(text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when quoted => '"',
                _ => Fail<char>(number, $"unknown escape \\{text[i]}"),
            });
        }

        return result.ToString();
    }

    private static void Fail(int line, string message) => throw new FormatException($"line {line}: {message}");

    private static T Fail<T>(int line, string message) => throw new FormatException($"line {line}: {message}");

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>(?:[^"}]|"(?:[^"\\]|\\.)*")*)\})? (?<value>\S+)( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""^(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\\n]|\\.)*)",?""")]
    private static partial Regex LabelPair();
}
