using System.Globalization;
using HaManager.Cluster.Model;

namespace HaManager.Watchers.Processes;

/// <summary>Reads this process's <see cref="ForkOrder"/> from /proc; null where /proc does not tell (then callers fall back to the clock).</summary>
public static class ProcessStart
{
    public static ForkOrder? CurrentForkOrder()
    {
        try
        {
            var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var stat = File.ReadAllText("/proc/self/stat");
            // Fields after the command name (which may contain spaces and parentheses): state is field 3, starttime field 22.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[22 - 3], CultureInfo.InvariantCulture);
            var order = new ForkOrder(bootId, ticks, Environment.ProcessId);
            return ForkOrder.TryParse(order.ToString(), out var valid, out _) ? valid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or OverflowException)
        {
            return null;
        }
    }
}
