namespace HaManager.Watchers.Notify;

public enum NotifyOutcome
{
    Recorded,
    Spooled,
}
