namespace HaManager.Watchers.Notify;

public sealed record SpooledEvent(string Path, NotifyEvent Event);
