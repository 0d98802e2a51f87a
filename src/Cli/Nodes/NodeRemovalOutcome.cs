namespace HaManager.Cli.Nodes;

/// <param name="Refusals">Why the removal was refused (empty when it was not); nothing was changed then.</param>
/// <param name="NothingToDo">The cluster held nothing of the node any more: a repeated removal.</param>
/// <param name="Remaining">The registered nodes after the removal.</param>
public sealed record NodeRemovalOutcome(IReadOnlyList<string> Refusals, bool NothingToDo, IReadOnlyList<string> Steps, IReadOnlyList<string> Remaining)
{
    public bool Removed => Refusals.Count == 0 && !NothingToDo;
}
