using HaManager.Cluster.Model;

namespace HaManager.Tests.Model;

public sealed class IpAddressesTests
{
    [Theory]
    [InlineData("10.231.0.11")]
    [InlineData("::1")]
    [InlineData("fd00::11")]
    public void TryParse_Address_Succeeds(string text) => IpAddresses.TryParse(text, out _, out _).Should().BeTrue();

    [Theory]
    [InlineData("1")]
    [InlineData("10.1")]
    [InlineData("0.0.0.0")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.0.0.1 ")]
    [InlineData("host.example")]
    [InlineData("")]
    public void TryParse_AmbiguousOrUnsafe_IsRejected(string text) => IpAddresses.TryParse(text, out _, out _).Should().BeFalse();
}
