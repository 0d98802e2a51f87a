using HaManager.Cluster.Consul;
using HaManager.Cluster.Security;

namespace HaManager.Tests.Security;

public sealed class JoinSecretTests
{
    private static readonly string Pin = new string('A', PublicKeyPin.Length - 1) + "E";

    [Fact]
    public void Reveal_ThenParse_GivesTheSameIdPinHashAndDerivedToken()
    {
        var secret = JoinSecret.Create(Pin);

        var parsed = JoinSecret.Parse(secret.Reveal() + "\n");

        parsed.Id.Should().Be(secret.Id);
        parsed.CaPin.Should().Be(Pin);
        parsed.SecretSha256.Should().Be(secret.SecretSha256);
        parsed.ConsulTokenSecretId.Should().Be(secret.ConsulTokenSecretId);
        parsed.PayloadKey().Should().Equal(secret.PayloadKey());
    }

    [Fact]
    public void Reveal_Format_IsSchemeIdSecretPin()
    {
        var secret = JoinSecret.Create(Pin);

        var parts = secret.Reveal().Split('.');

        parts.Should().HaveCount(4);
        parts[0].Should().Be("hmj1");
        parts[1].Should().Be(secret.Id.Value).And.MatchRegex("^[0-9a-f]{16}$");
        parts[2].Should().HaveLength(43);
        parts[3].Should().Be(Pin);
    }

    [Fact]
    public void ConsulTokenSecretId_IsAUuidDistinctFromThePayloadKeyAndTheHash()
    {
        var secret = JoinSecret.Create(Pin);

        ConsulNames.IsUuid(secret.ConsulTokenSecretId).Should().BeTrue();
        Convert.ToHexStringLower(secret.PayloadKey()).Should().NotContain(secret.ConsulTokenSecretId.Replace("-", string.Empty, StringComparison.Ordinal)[..16]);
        JoinSecret.Create(Pin).ConsulTokenSecretId.Should().NotBe(secret.ConsulTokenSecretId);
    }

    [Fact]
    public void MatchesHash_OwnHash_TrueAnotherSecretsHash_False()
    {
        var secret = JoinSecret.Create(Pin);

        secret.MatchesHash(secret.SecretSha256).Should().BeTrue();
        secret.MatchesHash(JoinSecret.Create(Pin).SecretSha256).Should().BeFalse();
        secret.MatchesHash("not base64").Should().BeFalse();
        secret.MatchesHash(null).Should().BeFalse();
    }

    [Fact]
    public void ToString_DoesNotShowTheSecret()
    {
        var secret = JoinSecret.Create(Pin);

        secret.ToString().Should().Contain(secret.Id.Value).And.NotContain(secret.Reveal().Split('.')[2]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hmj1.0123456789abcdef.c2VjcmV0")]
    [InlineData("hmj2.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE")]
    [InlineData("hmj1.0123456789ABCDEF.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE")]
    [InlineData("hmj1.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE")]
    [InlineData("hmj1.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.pin")]
    public void TryParse_Malformed_FailsWithoutEchoingTheText(string text)
    {
        JoinSecret.TryParse(text, out var secret, out var error).Should().BeFalse();

        secret.Should().BeNull();
        error.Should().NotBeNullOrEmpty();
        if (text.Length > 0) error.Should().NotContain(text);
    }

    [Fact]
    public void Create_MalformedPin_IsRefused()
    {
        var create = () => JoinSecret.Create("sha256:abc");

        create.Should().Throw<ArgumentException>();
    }
}
