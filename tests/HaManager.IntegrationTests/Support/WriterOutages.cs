using System.Globalization;

namespace HaManager.IntegrationTests.Support;

/// <summary>The lab writer's "outage START END" lines (Unix seconds; END "never-ended" while still down).</summary>
public static class WriterOutages
{
    public static IReadOnlyList<(double Start, double? End)> Parse(string writerOutput) =>
        writerOutput.Split('\n')
            .Select(line => line.Trim().Split(' '))
            .Where(words => words.Length == 3 && words[0] == "outage")
            .Select(words => (double.Parse(words[1], CultureInfo.InvariantCulture),
                words[2] == "never-ended" ? (double?)null : double.Parse(words[2], CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The longest stretch without an acknowledged write; an outage that never ended counts as infinite.</summary>
    public static TimeSpan Longest(string writerOutput) =>
        Parse(writerOutput).Select(o => o.End is { } end ? TimeSpan.FromSeconds(end - o.Start) : TimeSpan.MaxValue).DefaultIfEmpty(TimeSpan.Zero).Max();

    public static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
