using System.Globalization;

namespace HaManager.Cluster.Consul;

/// <summary>Formats durations the way Consul's Go parser (time.ParseDuration) accepts them.</summary>
internal static class GoDuration
{
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Durations sent to Consul must not be negative.");
        }

        if (value.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        }

        // Round up so a sub-millisecond wait never collapses to 0 (which Consul treats as "use the default").
        var millis = (value.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return millis.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>Human text for error messages: "5 s", "0.25 s".</summary>
    public static string Describe(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
