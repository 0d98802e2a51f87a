namespace HaManager.Watchers.Files;

public enum FileWriteOutcome
{
    Unchanged,
    Written,
    Rejected,
}
