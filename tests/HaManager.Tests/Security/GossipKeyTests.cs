using System.Diagnostics;
using HaManager.Cluster.Security;
using HaManager.Tests.Consul;

namespace HaManager.Tests.Security;

public sealed class GossipKeyTests
{
    [Fact]
    public void Generate_Twice_GivesDifferentValid32ByteKeys()
    {
        var first = GossipKey.Generate();
        var second = GossipKey.Generate();

        Convert.FromBase64String(first.Key).Should().HaveCount(32);
        first.Validate().Should().BeEmpty();
        first.Key.Should().NotBe(second.Key);
    }

    [Fact]
    public async Task Generate_ComparedWithConsulKeygen_HasTheSameShape()
    {
        var info = new ProcessStartInfo(ConsulBinary.Locate(), "keygen") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var fromConsul = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();

        GossipKey.Parse(fromConsul).Key.Length.Should().Be(GossipKey.Generate().Key.Length);
        Convert.FromBase64String(fromConsul).Should().HaveCount(GossipKey.GeneratedBytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all, not at all, not at all!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")] // 31 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 43 characters, no padding
    public void Parse_NotAConsulKey_IsRefusedWithoutEchoingIt(string text)
    {
        var parse = () => GossipKey.Parse(text);

        var error = parse.Should().Throw<FormatException>().Which;
        if (text.Length > 0) error.Message.Should().NotContain(text);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Parse_AesKeySizesConsulAccepts_AreValid(int bytes)
    {
        var key = Convert.ToBase64String(new byte[bytes]);

        GossipKey.Parse(key + "\n").Key.Should().Be(key);
    }

    [Fact]
    public void ToString_DoesNotShowTheKey()
    {
        var key = GossipKey.Generate();

        key.ToString().Should().NotContain(key.Key);
    }
}
