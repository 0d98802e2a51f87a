namespace HaManager.Templates.Views;

/// <summary>Shell command lines repmgr runs. Built from local settings only; none may contain a single quote (repmgr.conf's string delimiter).</summary>
public sealed record RepmgrCommands
{
    public RepmgrCommands(string promote, string follow, string start, string stop, string restart, string reload, string eventNotification)
    {
        Promote = ConfValue.Command(promote);
        Follow = ConfValue.Command(follow);
        Start = ConfValue.Command(start);
        Stop = ConfValue.Command(stop);
        Restart = ConfValue.Command(restart);
        Reload = ConfValue.Command(reload);
        EventNotification = ConfValue.Command(eventNotification);
    }

    public string Promote { get; }
    public string Follow { get; }
    public string Start { get; }
    public string Stop { get; }
    public string Restart { get; }
    public string Reload { get; }
    public string EventNotification { get; }
}
