using HaManager.Cluster.Model;
using HaManager.Watchers.Processes;

namespace HaManager.Tests.Model;

public sealed class ForkOrderTests
{
    private const string Boot = "3f0c8a52-1f0e-4c4e-9a51-3c1b2a7d9e10";

    [Theory]
    [InlineData(5000, 10, 4999, 99, true)]
    [InlineData(5000, 10, 5000, 9, true)]
    [InlineData(5000, 10, 5000, 11, false)]
    [InlineData(4999, 10, 5000, 1, false)]
    public void IsAfter_SameBoot_ComparesTicksThenPid(long ticks, int pid, long otherTicks, int otherPid, bool after) =>
        new ForkOrder(Boot, ticks, pid).IsAfter(new ForkOrder(Boot, otherTicks, otherPid)).Should().Be(after);

    [Fact]
    public void IsAfter_DifferentBoots_IsUnknown() =>
        new ForkOrder(Boot, 1, 1).IsAfter(new ForkOrder(Boot.Replace('3', '4'), 0, 0)).Should().BeNull();

    [Theory]
    [InlineData("")]
    [InlineData("boot:1:2")]
    [InlineData(Boot + ":x:2")]
    [InlineData(Boot + ":1:2\nMASTER")]
    public void TryParse_Malformed_IsRejected(string text) =>
        ForkOrder.TryParse(text, out _, out var error).Should().BeFalse(error);

    [Fact]
    public void CurrentForkOrder_ReadsThisProcessFromProc()
    {
        var order = ProcessStart.CurrentForkOrder();
        order.Should().NotBeNull();
        order!.Pid.Should().Be(Environment.ProcessId);
        order.StartTicks.Should().BePositive();
        order.BootId.Should().Be(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());
        ForkOrder.Parse(order.ToString()).Should().Be(order);
    }
}
