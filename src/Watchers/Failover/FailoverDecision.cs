namespace HaManager.Watchers.Failover;

/// <summary>One detector cycle's decision and the sentence that explains it (logged once, asserted in tests).</summary>
/// <param name="Kind">What kind of decision this is, without the numbers that change every cycle: the detector logs a sentence again only when this changes.</param>
public sealed record FailoverDecision(FailoverAction Action, string Sentence, string? Candidate = null, string Kind = "")
{
    public string LogKey => $"{Action}:{Kind}:{Candidate}";
}
