using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;

namespace HaManager.Tests.Security;

public sealed class CertificateAuthorityTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _ca = CertificateAuthority.Create(Now);

    public void Dispose() => _ca.Dispose();

    [Fact]
    public void Create_Default_IsAP256CaForTenYearsWithPathLengthZero()
    {
        using var certificate = X509Certificate2.CreateFromPem(_ca.CertificatePem);

        certificate.NotBefore.ToUniversalTime().Should().Be((Now - CertificateAuthority.Backdate).UtcDateTime);
        certificate.NotAfter.ToUniversalTime().Should().Be((Now + CertificateAuthority.DefaultValidity).UtcDateTime);
        certificate.GetECDsaPublicKey()!.ExportParameters(false).Curve.Oid.Value.Should().Be("1.2.840.10045.3.1.7", "P-256");
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        constraints.CertificateAuthority.Should().BeTrue();
        constraints.HasPathLengthConstraint.Should().BeTrue();
        constraints.PathLengthConstraint.Should().Be(0);
        constraints.Critical.Should().BeTrue();
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        usage.KeyUsages.Should().HaveFlag(X509KeyUsageFlags.KeyCertSign);
        usage.KeyUsages.Should().NotHaveFlag(X509KeyUsageFlags.DigitalSignature);
        certificate.Subject.Should().StartWith("CN=HaManager cluster CA ");
    }

    [Fact]
    public void IssueServer_Node_HasConsulServerNameLocalhostLoopbackAndNodeAddress()
    {
        var pem = _ca.IssueServer(NodeName.Parse("n2"), IPAddress.Parse("10.231.0.12"), "dc1", Now);
        using var certificate = pem.ToCertificate();

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        names.EnumerateDnsNames().Should().BeEquivalentTo("server.dc1.consul", "n2.server.dc1.consul", "localhost");
        names.EnumerateIPAddresses().Should().BeEquivalentTo([IPAddress.Loopback, IPAddress.Parse("10.231.0.12")]);
        certificate.MatchesHostname("server.dc1.consul").Should().BeTrue();
        certificate.MatchesHostname("10.231.0.12").Should().BeTrue();
        certificate.MatchesHostname("server.dc2.consul").Should().BeFalse();
        certificate.HasPrivateKey.Should().BeTrue();
    }

    [Fact]
    public void IssueServer_Node_IsALeafForServerAndClientAuthenticationSignedWithDigitalSignature()
    {
        using var certificate = _ca.IssueServer(NodeName.Parse("n1"), IPAddress.Parse("10.231.0.11"), "dc1", Now).ToCertificate();

        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.Should().BeFalse();
        certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.Should().Be(X509KeyUsageFlags.DigitalSignature);
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        usages.Should().BeEquivalentTo("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    }

    [Fact]
    public void IssueServer_Default_IsValidFromAnHourAgoForTwoYears()
    {
        using var certificate = _ca.IssueServer(NodeName.Parse("n1"), IPAddress.Parse("10.231.0.11"), "dc1", Now).ToCertificate();

        certificate.NotBefore.ToUniversalTime().Should().Be((Now - TimeSpan.FromHours(1)).UtcDateTime);
        certificate.NotAfter.ToUniversalTime().Should().Be((Now + CertificateAuthority.DefaultLeafValidity).UtcDateTime);
    }

    [Fact]
    public void IssueServer_LongerThanTheCa_EndsWithTheCa()
    {
        using var certificate = _ca.IssueServer(NodeName.Parse("n1"), IPAddress.Loopback, "dc1", Now, TimeSpan.FromDays(20000)).ToCertificate();

        certificate.NotAfter.ToUniversalTime().Should().Be(_ca.NotAfter.UtcDateTime);
    }

    [Fact]
    public void IssueServer_Chain_BuildsAgainstTheClusterCaOnly()
    {
        var pem = _ca.IssueServer(NodeName.Parse("n1"), IPAddress.Parse("10.231.0.11"), "dc1", Now);
        using var leaf = pem.ToCertificate();
        using var root = X509Certificate2.CreateFromPem(_ca.CertificatePem);
        using var other = CertificateAuthority.Create(Now);
        using var otherRoot = X509Certificate2.CreateFromPem(other.CertificatePem);

        Builds(leaf, root).Should().BeTrue();
        Builds(leaf, otherRoot).Should().BeFalse("a certificate of one cluster must not be trusted by another");
    }

    [Fact]
    public void IssueServer_CertificatePem_CarriesTheCaAfterTheLeaf()
    {
        var pem = _ca.IssueServer(NodeName.Parse("n1"), IPAddress.Loopback, "dc1", Now);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(pem.CertificatePem);

        chain.Should().HaveCount(2);
        chain[0].Subject.Should().Contain("CN=server.dc1.consul");
        PublicKeyPin.Of(chain[1]).Should().Be(_ca.PublicKeyPin);
    }

    [Fact]
    public void IssueServer_UnsafeDatacenter_IsRefused()
    {
        var issue = () => _ca.IssueServer(NodeName.Parse("n1"), IPAddress.Loopback, "dc1.evil.com", Now);

        issue.Should().Throw<ArgumentException>().WithMessage("*datacenter*");
    }

    [Fact]
    public void IssueClient_Operator_IsForClientAuthenticationOnly()
    {
        using var certificate = _ca.IssueClient("operator", Now).ToCertificate();
        using var root = X509Certificate2.CreateFromPem(_ca.CertificatePem);

        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value)
            .Should().Equal("1.3.6.1.5.5.7.3.2");
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Should().BeEmpty();
        Builds(certificate, root).Should().BeTrue();
    }

    [Fact]
    public void IssueClient_NameWithComma_IsRefused()
    {
        var issue = () => _ca.IssueClient("ops, O=Evil", Now);

        issue.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ExportAndLoad_RoundTrip_IssuesCertificatesTheOriginalTrusts()
    {
        var exported = _ca.Export();
        exported.PrivateKeyPem.Should().StartWith("-----BEGIN PRIVATE KEY-----");

        using var loaded = CertificateAuthority.Load(exported);
        using var leaf = loaded.IssueServer(NodeName.Parse("n3"), IPAddress.Loopback, "dc1", Now).ToCertificate();
        using var root = X509Certificate2.CreateFromPem(_ca.CertificatePem);

        loaded.PublicKeyPin.Should().Be(_ca.PublicKeyPin);
        Builds(leaf, root).Should().BeTrue();
    }

    [Fact]
    public void Load_LeafCertificate_IsRefused()
    {
        var leaf = _ca.IssueServer(NodeName.Parse("n1"), IPAddress.Loopback, "dc1", Now);

        var load = () => CertificateAuthority.Load(leaf);

        load.Should().Throw<CryptographicException>().WithMessage("*not an ECDSA certificate authority*");
    }

    [Fact]
    public void PemCertificate_ToString_DoesNotShowTheKey()
    {
        var exported = _ca.Export();

        exported.ToString().Should().NotContain("PRIVATE KEY").And.Contain("hidden");
    }

    [Fact]
    public void PemCertificate_KeyOfAnotherCertificate_IsInvalid()
    {
        using var other = CertificateAuthority.Create(Now);
        var mixed = _ca.Export() with { PrivateKeyPem = other.Export().PrivateKeyPem };

        mixed.Validate().Should().ContainSingle();
    }

    private static bool Builds(X509Certificate2 leaf, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime;
        return chain.Build(leaf);
    }
}
