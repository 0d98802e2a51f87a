using HaManager.Cluster.Model;

namespace HaManager.Tests.Model;

public sealed class CidrTests
{
    [Theory]
    [InlineData("10.231.0.100/24")]
    [InlineData("192.168.1.5/32")]
    [InlineData("fd00::100/64")]
    public void Parse_ValidCidr_RoundTrips(string text) => Cidr.Parse(text).ToString().Should().Be(text);

    [Theory]
    [InlineData("10.231.0.100")]
    [InlineData("10.231.0.100/33")]
    [InlineData("10.231.0.100/0")]
    [InlineData("10.231.0/24")]
    [InlineData("10.231.0.256/24")]
    [InlineData("300.1.1.1/24")]
    [InlineData("10.231.0.100/24/1")]
    [InlineData("10.231.0.100/+24")]
    [InlineData("0x0a.1.1.1/24")]
    [InlineData("10.1.1.1/24 dev eth0")]
    [InlineData("")]
    public void TryParse_InvalidCidr_FailsWithReason(string text)
    {
        Cidr.TryParse(text, out var cidr, out var error).Should().BeFalse();
        cidr.Should().BeNull();
        error.Should().NotBeNullOrEmpty();
    }
}
