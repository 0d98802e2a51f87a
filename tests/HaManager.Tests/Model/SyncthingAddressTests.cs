using System.Net;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Model;

public sealed class SyncthingAddressTests
{
    [Theory]
    [InlineData("tcp://10.231.0.12:22000", "10.231.0.12", 22000)]
    [InlineData("tcp://192.168.1.5:1", "192.168.1.5", 1)]
    [InlineData("tcp://10.0.0.1:65535", "10.0.0.1", 65535)]
    [InlineData("tcp://[fd00::12]:22000", "fd00::12", 22000)]
    [InlineData("tcp://[2001:db8::1]:22001", "2001:db8::1", 22001)]
    public void TryParse_IpAndPort_IsAcceptedAndPrintsTheSame(string text, string ip, int port)
    {
        SyncthingAddress.TryParse(text, out var address, out var error).Should().BeTrue(error);
        address!.Address.Should().Be(IPAddress.Parse(ip));
        address.Port.Should().Be(port);
        address.ToString().Should().Be(text);
        SyncthingAddress.Parse(address.ToString()).Should().Be(address);
    }

    [Fact]
    public void ToString_Ipv6_IsBracketed()
    {
        new SyncthingAddress(IPAddress.Parse("fd00::1"), SyncthingAddress.DefaultPort).ToString().Should().Be("tcp://[fd00::1]:22000");
    }

    [Theory]
    [InlineData("tcp://10.231.0.12", "no port")]
    [InlineData("tcp://[fd00::12]", "no port")]
    [InlineData("tcp://10.231.0.12:", "invalid port")]
    [InlineData("tcp://10.231.0.12:0", "invalid port")]
    [InlineData("tcp://10.231.0.12:65536", "invalid port")]
    [InlineData("tcp://10.231.0.12:-1", "invalid port")]
    [InlineData("tcp://10.231.0.12:+22000", "invalid port")]
    [InlineData("tcp://10.231.0.12:22000 ", "invalid port")]
    [InlineData("tcp://node2:22000", "not a valid IP address")]
    [InlineData("tcp://node2.example.com:22000", "not a valid IP address")]
    [InlineData("tcp://0.0.0.0:22000", "not a valid IP address")]
    [InlineData("tcp://10.1:22000", "not a valid IP address")]
    [InlineData("tcp://fd00::12:22000", "in brackets")]
    [InlineData("10.231.0.12:22000", "tcp://IP:PORT")]
    [InlineData("quic://10.231.0.12:22000", "tcp://IP:PORT")]
    [InlineData("dynamic", "tcp://IP:PORT")]
    [InlineData("", "tcp://IP:PORT")]
    [InlineData(null, "tcp://IP:PORT")]
    public void TryParse_AnythingElse_IsRejectedWithAReason(string? text, string reasonFragment)
    {
        SyncthingAddress.TryParse(text, out var address, out var error).Should().BeFalse();
        address.Should().BeNull();
        error.Should().Contain(reasonFragment);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithoutInjectedLines()
    {
        var act = () => SyncthingAddress.Parse("tcp://10.0.0.1:22000\nlisten evil");
        act.Should().Throw<FormatException>().Which.Message.Should().NotContain("\n");
    }
}
