using System.Globalization;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Notify;

/// <summary>keepalived's notify script arguments: TYPE NAME STATE PRIORITY, e.g. "INSTANCE VI_1 MASTER 150".</summary>
public sealed record KeepalivedNotifyArguments(string Type, string Name, KeepalivedState State, int Priority)
{
    public static KeepalivedNotifyArguments Parse(string type, string name, string state, string priority)
    {
        if (type is not ("INSTANCE" or "GROUP"))
            throw new FormatException($"TYPE '{NodeName.Printable(type)}' is not INSTANCE or GROUP");
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw new FormatException($"NAME '{NodeName.Printable(name)}' is not a VRRP instance name");
        var parsedState = state switch
        {
            "MASTER" => KeepalivedState.Master,
            "BACKUP" => KeepalivedState.Backup,
            "FAULT" => KeepalivedState.Fault,
            "STOP" or "DELETED" => KeepalivedState.Stop,
            _ => throw new FormatException($"STATE '{NodeName.Printable(state)}' is not MASTER, BACKUP, FAULT, STOP or DELETED"),
        };
        if (!int.TryParse(priority, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedPriority) || parsedPriority > 255)
            throw new FormatException($"PRIORITY '{NodeName.Printable(priority)}' is not a number from 0 to 255");
        return new KeepalivedNotifyArguments(type, name, parsedState, parsedPriority);
    }
}
