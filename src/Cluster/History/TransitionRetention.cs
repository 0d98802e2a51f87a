namespace HaManager.Cluster.History;

/// <summary>Which transitions pruning deletes: older than the maximum age, or beyond the maximum count, but never the newest ones.</summary>
public static class TransitionRetention
{
    /// <summary>The newest transitions are kept whatever their age: `status` shows this many.</summary>
    public const int AlwaysKept = 50;

    /// <param name="names">Every transition key name (any order).</param>
    /// <returns>The keys to delete, oldest first. Ages come from the key's time (the recording node's clock); a day of margin dwarfs any skew.</returns>
    public static IReadOnlyList<string> Expired(IEnumerable<TransitionKeyName> names, DateTimeOffset now, TimeSpan maxAge, int maxEntries)
    {
        var newestFirst = names.OrderByDescending(n => n.Key, StringComparer.Ordinal).ToList();
        var keep = Math.Max(AlwaysKept, maxEntries);
        return newestFirst
            .Select((name, position) => (name, position))
            .Where(n => n.position >= AlwaysKept && (n.position >= keep || now - n.name.At > maxAge))
            .Select(n => n.name.Key)
            .Reverse()
            .ToList();
    }
}
