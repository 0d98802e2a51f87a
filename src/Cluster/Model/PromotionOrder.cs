namespace HaManager.Cluster.Model;

/// <summary>
/// Which of two promotions came later, by PostgreSQL timeline: every promotion starts a timeline one
/// higher than the one it left, so a later promotion in the same history always has a higher timeline.
/// Two rival promotions from the same timeline tie, and a tie never replaces the registered master
/// (first compare-and-set wins). Unknown timelines (records from before they were recorded) count as 0.
/// </summary>
public static class PromotionOrder
{
    public static bool IsNewer(int? candidate, int? registered) => (candidate ?? 0) > (registered ?? 0) || (candidate is null && registered is null);
}
