using System.Net;
using HaManager.Cluster.Settings;
using HaManager.Watchers.Keepalived;

namespace HaManager.Tests.Watchers;

public sealed class KeepalivedInterfaceTests
{
    private static readonly IPAddress NodeAddress = IPAddress.Parse("10.0.0.11");

    private static HostInterface Interface(string name, params string[] addresses) => new(name, addresses.Select(IPAddress.Parse).ToList());

    private static readonly IReadOnlyList<HostInterface> Bookworm =
    [
        Interface("lo", "127.0.0.1", "::1"),
        Interface("ens3", "192.168.1.20", "fe80::5054:ff:fe12:3456"),
        Interface("ens4", "10.0.0.11", "fe80::5054:ff:fe12:3457"),
    ];

    [Fact]
    public void Choose_EmptySetting_PicksTheInterfaceThatCarriesTheAddress()
    {
        KeepalivedInterface.Choose("", NodeAddress, Bookworm).Should().Be("ens4");
    }

    [Fact]
    public void Choose_ExplicitSetting_WinsOverTheAddress()
    {
        KeepalivedInterface.Choose("ens3", NodeAddress, Bookworm).Should().Be("ens3");
    }

    [Fact]
    public void Choose_ExplicitSetting_NeedsNoInterfaceWithTheAddress()
    {
        KeepalivedInterface.Choose("bond0", IPAddress.Parse("10.9.9.9"), []).Should().Be("bond0");
    }

    [Fact]
    public void Choose_NoInterfaceCarriesTheAddress_FailsNamingAddressInterfacesAndFix()
    {
        var act = () => KeepalivedInterface.Choose("", IPAddress.Parse("10.0.0.99"), Bookworm);

        act.Should().Throw<SettingsException>().Which.Message.Should()
            .StartWith("keepalived.interface: no network interface carries node.address 10.0.0.99")
            .And.Contain("ens3 192.168.1.20")
            .And.Contain("ens4 10.0.0.11")
            .And.Contain("set keepalived.interface");
    }

    [Fact]
    public void Choose_AddressOnTwoInterfaces_FailsNamingBoth()
    {
        var act = () => KeepalivedInterface.Choose("", NodeAddress, [.. Bookworm, Interface("ens5", "10.0.0.11")]);

        act.Should().Throw<SettingsException>().Which.Message.Should().Contain("ens4, ens5").And.Contain("set keepalived.interface");
    }

    [Fact]
    public void Choose_IPv6LinkLocalAddress_MatchesWhateverItsScope()
    {
        var scoped = IPAddress.Parse("fe80::5054:ff:fe12:3457");
        scoped.ScopeId = 3;

        KeepalivedInterface.Choose("", IPAddress.Parse("fe80::5054:ff:fe12:3457"), [Interface("lo", "127.0.0.1"), new HostInterface("ens4", [scoped])])
            .Should().Be("ens4");
    }

    [Fact]
    public void Choose_NoInterfacesAtAll_SaysSo()
    {
        var act = () => KeepalivedInterface.Choose("", NodeAddress, []);

        act.Should().Throw<SettingsException>().Which.Message.Should().Contain("this machine has no interfaces");
    }
}
