using System.Text;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Tests.Syncthing;

namespace HaManager.Tests.Model;

public sealed class SyncthingDeviceIdTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static TheoryData<string> RealIds => new(SyncthingFixtures.RealDeviceIds);

    [Theory]
    [MemberData(nameof(RealIds))]
    public void TryParse_IdPrintedBySyncthing_IsAcceptedUnchanged(string real)
    {
        SyncthingDeviceId.TryParse(real, out var id, out var error).Should().BeTrue(error);
        id.Value.Should().Be(real);
        id.ToString().Should().Be(real);
    }

    [Theory]
    [MemberData(nameof(RealIds))]
    public void TryParse_LowerCaseOrWithoutDashes_IsNormalizedToTheCanonicalForm(string real)
    {
        var compact = real.Replace("-", "", StringComparison.Ordinal);
        SyncthingDeviceId.Parse(real.ToLowerInvariant()).Value.Should().Be(real);
        SyncthingDeviceId.Parse(compact).Value.Should().Be(real);
        SyncthingDeviceId.Parse(compact.ToLowerInvariant()).Should().Be(SyncthingDeviceId.Parse(real));
    }

    [Theory]
    [InlineData(0)]  // data covered by check character 1
    [InlineData(14)] // check character 1 itself
    [InlineData(20)] // data covered by check character 2
    [InlineData(30)] // check character 2
    [InlineData(40)] // data covered by check character 3
    [InlineData(46)] // check character 3
    [InlineData(61)] // data covered by check character 4
    [InlineData(62)] // check character 4, the last one
    public void TryParse_OneCharacterChanged_IsRejectedByTheCheckCharacter(int position)
    {
        var real = SyncthingFixtures.N2;
        real[position].Should().NotBe('-', "the test must change an ID character, not a dash");
        var typo = real[..position] + Alphabet[(Alphabet.IndexOf(real[position]) + 1) % Alphabet.Length] + real[(position + 1)..];

        SyncthingDeviceId.TryParse(typo, out _, out var error).Should().BeFalse();
        error.Should().Contain("check character").And.Contain(typo);
    }

    [Theory]
    [InlineData("BQ4CZRQ-TYB62C4-BY7UEOR-Y3ZX2EG-7A4V7V6-7HGVTCC-GLAYK62-WLOXOQ")]   // one character short
    [InlineData("BQ4CZRQ-TYB62C4-BY7UEOR-Y3ZX2EG-7A4V7V6-7HGVTCC-GLAYK62-WLOXOQ3A")] // one too many
    [InlineData("BQ4CZRQ-TYB62C4-BY7UEOR-Y3ZX2EG-7A4V7V6-7HGVTCC-GLAYK62")]          // a group missing
    [InlineData("BQ4CZRQ-TYB62C4-BY7UEOR-Y3ZX2EG-7A4V7V6-7HGVTCC-GLAYK62-WLOXOQ1")]  // 1 is not base32
    [InlineData("BQ4CZRQ-TYB62C4-BY7UEOR-Y3ZX2EG-7A4V7V6-7HGVTCC-GLAYK62-WLOXOQ8")]  // nor is 8
    [InlineData("BQ4CZRQ TYB62C4 BY7UEOR Y3ZX2EG 7A4V7V6 7HGVTCC GLAYK62 WLOXOQ3")]  // spaces
    [InlineData("BQ4CZRQ-TYB62C4-BY7UEOR-Y3ZX2EG-7A4V7V6-7HGVTCC-GLAYK62-WLOXOQ3\n")]
    [InlineData("dynamic")]
    public void TryParse_WrongLengthOrAlphabet_IsRejected(string text)
    {
        SyncthingDeviceId.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain("56 base32 characters").And.NotContain("\n");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryParse_Empty_IsRejected(string? text)
    {
        SyncthingDeviceId.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain("empty");
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        var act = () => SyncthingDeviceId.Parse("not-an-id");
        act.Should().Throw<FormatException>().WithMessage("*not-an-id*");
    }

    [Fact]
    public void DeviceRecord_FromKv_IsNormalizedAndRoundTrips()
    {
        var json = $$"""{"device_id":"{{SyncthingFixtures.N3.ToLowerInvariant()}}","address":"tcp://10.231.0.13:22000","registered_at":"2026-01-01T00:00:00Z"}""";
        KvJson.TryParse<SyncthingDeviceRecord>("hamanager/syncthing/devices/n3", Encoding.UTF8.GetBytes(json), out var record, out var error).Should().BeTrue(error?.ToString());
        record!.DeviceId.Value.Should().Be(SyncthingFixtures.N3);
        record.Address.Should().Be(SyncthingAddress.Parse("tcp://10.231.0.13:22000"));
        Encoding.UTF8.GetString(KvJson.Serialize(record)).Should().Contain($"\"device_id\":\"{SyncthingFixtures.N3}\"").And.Contain("\"address\":\"tcp://10.231.0.13:22000\"");
    }

    [Theory]
    [InlineData("""{"device_id":"QY2OF5E-NS5AP2G-DA27CX5-76GVHGE-4UONDB2-Q2B4Y4O-WT3FONH-E2PLNQ3","address":"tcp://10.231.0.12:22000"}""", "check character")]
    [InlineData("""{"device_id":null,"address":"tcp://10.231.0.12:22000"}""", "found Null")]
    [InlineData("""{"address":"tcp://10.231.0.12:22000"}""", "device_id")]
    [InlineData("""{"device_id":"QY2OF5E-NS5AP2G-DA27CX5-76GVHGE-4UONDB2-Q2B4Y4O-WT3FONH-E2PLNQ2","address":"dynamic"}""", "tcp://IP:PORT")]
    public void DeviceRecord_InvalidValue_IsRejectedWithTheKey(string json, string reasonFragment)
    {
        KvJson.TryParse<SyncthingDeviceRecord>("hamanager/syncthing/devices/n2", Encoding.UTF8.GetBytes(json), out var record, out var error).Should().BeFalse();
        record.Should().BeNull();
        error!.Key.Should().Be("hamanager/syncthing/devices/n2");
        error.Reason.Should().Contain(reasonFragment);
    }
}
