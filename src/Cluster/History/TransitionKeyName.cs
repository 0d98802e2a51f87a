using System.Globalization;
using HaManager.Cluster.Model;

namespace HaManager.Cluster.History;

/// <summary>
/// What a transition's key name says before its value is read: <c>&lt;yyyyMMddTHHmmss.fffffffZ&gt;-&lt;node&gt;-&lt;service&gt;</c>.
/// Node names and services may contain '-', so node and service only narrow the candidates; the value decides.
/// </summary>
public sealed record TransitionKeyName(string Key, DateTimeOffset At, string NodeAndService)
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'.'fffffff'Z'";
    private const int TimeLength = 24;

    /// <returns>Null for a key that is not a transition's (another version's, or typed by hand).</returns>
    public static TransitionKeyName? TryParse(string key, KvKeys keys)
    {
        var name = KvKeys.LastSegment(key, keys.TransitionsPrefix);
        if (name.Length < TimeLength + 4 || name[TimeLength] != '-') return null;
        return DateTimeOffset.TryParseExact(name[..TimeLength], TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new TransitionKeyName(key, at, name[(TimeLength + 1)..])
            : null;
    }

    /// <summary>False only when the name rules the transition out; true means "read the value to be sure".</summary>
    public bool MayMatch(TransitionQuery query) =>
        (query.Since is not { } since || At >= since)
        && (query.Node is not { } node || NodeAndService.StartsWith(node.Value + "-", StringComparison.Ordinal))
        && (query.Service is not { } service || NodeAndService.EndsWith("-" + service, StringComparison.Ordinal));
}
