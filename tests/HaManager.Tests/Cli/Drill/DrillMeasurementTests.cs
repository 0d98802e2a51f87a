using System.Net;
using HaManager.Cli.Drill;

namespace HaManager.Tests.Cli.Drill;

/// <summary>The drill's arithmetic from scripted acknowledgements: RTO, the longest gap, client errors.</summary>
public sealed class DrillMeasurementTests
{
    private static readonly IPAddress Old = IPAddress.Parse("10.231.0.11");
    private static readonly IPAddress New = IPAddress.Parse("10.231.0.12");

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Rto_RunsFromTheActionToTheFirstAckOnAnotherServer()
    {
        var drill = new DrillMeasurement(Old);
        drill.Acknowledged(1, Old, S(0.1));
        drill.Acknowledged(2, Old, S(0.2));
        drill.ActionStarted(S(1.0));
        drill.Acknowledged(3, Old, S(1.3)); // still the old primary: a switchover pauses, it does not cut off at once
        drill.Failed();
        drill.Failed();
        drill.Acknowledged(5, New, S(4.1));
        drill.Acknowledged(6, New, S(4.2));

        var figures = drill.Figures();

        figures.Rto.Should().Be(S(3.1));
        figures.RecoveredAt.Should().Be(S(4.1));
        figures.RecoveredOn.Should().Be(New);
        figures.Recovered.Should().BeTrue();
        figures.LongestGap.Should().Be(S(2.8), "from the last ack on the old primary (1.3 s) to the first on the new one (4.1 s)");
        figures.ClientErrors.Should().Be(2);
        figures.AcknowledgedRows.Should().Be(5);
        drill.AcknowledgedIds().Should().Equal(1, 2, 3, 5, 6);
    }

    [Fact]
    public void AnotherServerBeforeTheAction_DoesNotCountAsRecovery()
    {
        var drill = new DrillMeasurement(Old);
        drill.Acknowledged(1, New, S(0.1));

        drill.Figures().Recovered.Should().BeFalse();
        drill.Figures().ActionStarted.Should().BeFalse();
        drill.Figures().LastServer.Should().Be(New);
    }

    [Fact]
    public void NoAckOnAnotherServer_NoRto()
    {
        var drill = new DrillMeasurement(Old);
        drill.Acknowledged(1, Old, S(0.1));
        drill.ActionStarted(S(0.5));
        drill.Acknowledged(2, Old, S(5.0)); // the old primary came back: that is no failover
        drill.Acknowledged(3, null, S(5.1)); // a server that does not say which never counts

        var figures = drill.Figures();

        figures.Rto.Should().BeNull();
        figures.Recovered.Should().BeFalse();
        figures.ActionStarted.Should().BeTrue();
        figures.LongestGap.Should().Be(S(4.9));
    }

    [Fact]
    public void AStalledWriteThatSucceeds_CountsAsAGap_AndAnIpv4MappedAddressIsTheSameServer()
    {
        var drill = new DrillMeasurement(Old);
        drill.Acknowledged(1, Old.MapToIPv6(), S(1));
        drill.ActionStarted(S(1.5));
        drill.Acknowledged(2, Old, S(7.5)); // paused for six seconds, no error

        var figures = drill.Figures();

        figures.LongestGap.Should().Be(S(6.5));
        figures.ClientErrors.Should().Be(0);
        figures.Recovered.Should().BeFalse("the old primary, however written, is not another server");
    }

    [Fact]
    public void TheFirstRecoveryStands_LaterServersDoNotMoveIt()
    {
        var drill = new DrillMeasurement(Old);
        drill.ActionStarted(S(0));
        drill.Acknowledged(1, New, S(2));
        drill.Acknowledged(2, IPAddress.Parse("10.231.0.13"), S(3));

        drill.Figures().Rto.Should().Be(S(2));
        drill.Figures().RecoveredOn.Should().Be(New);
    }
}
