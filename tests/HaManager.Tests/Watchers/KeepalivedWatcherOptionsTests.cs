using System.Net;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Keepalived;

namespace HaManager.Tests.Watchers;

public sealed class KeepalivedWatcherOptionsTests
{
    private static HaManagerSettings Settings(string configuredInterface) => new()
    {
        Node = { Name = "n1", Address = "10.0.0.11" },
        Keepalived = { Interface = configuredInterface },
    };

    private static readonly IReadOnlyList<HostInterface> Interfaces =
        [new("lo", [IPAddress.Loopback]), new("enp1s0", [IPAddress.Parse("10.0.0.11")])];

    [Fact]
    public void FromSettings_DefaultInterface_IsTheOneCarryingNodeAddress()
    {
        KeepalivedWatcherOptions.FromSettings(Settings(""), Interfaces).Interface.Value.Should().Be("enp1s0");
    }

    [Fact]
    public void FromSettings_ConfiguredInterface_IsKept()
    {
        KeepalivedWatcherOptions.FromSettings(Settings("eth1"), Interfaces).Interface.Value.Should().Be("eth1");
    }

    [Fact]
    public void KeepalivedOptions_Default_LeavesTheInterfaceToTheAddress()
    {
        new KeepalivedOptions().Interface.Should().BeEmpty();
    }
}
