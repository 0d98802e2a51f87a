using HaManager.Cluster.Model;

namespace HaManager.Tests.Model;

public sealed class NodeNameTests
{
    [Theory]
    [InlineData("n1")]
    [InlineData("manager-01")]
    [InlineData("A_b-9")]
    public void TryParse_ValidName_Succeeds(string text)
    {
        NodeName.TryParse(text, out var name, out var error).Should().BeTrue(error);
        name.Value.Should().Be(text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("n1\nvrrp_instance evil {")]
    [InlineData("n1}")]
    [InlineData("n 1")]
    [InlineData("-n1")]
    [InlineData("n1-")]
    [InlineData("../n1")]
    [InlineData("n1/x")]
    [InlineData("n1\"")]
    [InlineData("n1.example")]
    public void TryParse_UnsafeName_IsRejectedWithReason(string text)
    {
        NodeName.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().NotBeNullOrEmpty();
        error.Should().NotContain("\n", "an error message must not carry the injected line break");
    }

    [Fact]
    public void TryParse_TooLong_IsRejected()
    {
        NodeName.TryParse(new string('a', NodeName.MaxLength + 1), out _, out _).Should().BeFalse();
        NodeName.TryParse(new string('a', NodeName.MaxLength), out _, out _).Should().BeTrue();
    }
}
