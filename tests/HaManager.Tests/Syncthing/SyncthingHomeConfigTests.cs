using System.Xml.Linq;
using HaManager.Bootstrap.Syncthing;
using HaManager.Cluster.Model;
using static HaManager.Tests.Syncthing.SyncthingFixtures;

namespace HaManager.Tests.Syncthing;

public sealed class SyncthingHomeConfigTests
{
    private const string ApiKey = "Zk3vQ9x_Lr2mT8wYb-7nHc4pFg6sJd1uEa5oKi0qWe";

    /// <summary>config.xml exactly as `syncthing generate --no-default-folder --skip-port-probing` (1.19.2) wrote it; its device is <see cref="SyncthingFixtures.N3"/>.</summary>
    private const string Generated = """
        <configuration version="36">
            <device id="IWQNTZB-C5HLMTV-HFT5ENE-KNU74MR-KOPKJHS-F5HEADS-NS7T4ED-KF6LWAT" name="vm" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
                <address>dynamic</address>
                <paused>false</paused>
                <autoAcceptFolders>false</autoAcceptFolders>
                <maxSendKbps>0</maxSendKbps>
                <maxRecvKbps>0</maxRecvKbps>
                <maxRequestKiB>0</maxRequestKiB>
                <untrusted>false</untrusted>
                <remoteGUIPort>0</remoteGUIPort>
            </device>
            <gui enabled="true" tls="false" debugging="false">
                <address>127.0.0.1:8384</address>
                <apikey>aF2n7DfhyHDJv5aRjHfFjLwu9QSPaVwU</apikey>
                <theme>default</theme>
            </gui>
            <ldap></ldap>
            <options>
                <listenAddress>default</listenAddress>
                <globalAnnounceServer>default</globalAnnounceServer>
                <globalAnnounceEnabled>true</globalAnnounceEnabled>
                <localAnnounceEnabled>true</localAnnounceEnabled>
                <localAnnouncePort>21027</localAnnouncePort>
                <localAnnounceMCAddr>[ff12::8384]:21027</localAnnounceMCAddr>
                <maxSendKbps>0</maxSendKbps>
                <maxRecvKbps>0</maxRecvKbps>
                <reconnectionIntervalS>60</reconnectionIntervalS>
                <relaysEnabled>true</relaysEnabled>
                <relayReconnectIntervalM>10</relayReconnectIntervalM>
                <startBrowser>true</startBrowser>
                <natEnabled>true</natEnabled>
                <natLeaseMinutes>60</natLeaseMinutes>
                <natRenewalMinutes>30</natRenewalMinutes>
                <natTimeoutSeconds>10</natTimeoutSeconds>
                <urAccepted>0</urAccepted>
                <urSeen>0</urSeen>
                <urUniqueID></urUniqueID>
                <urURL>https://data.syncthing.net/newdata</urURL>
                <urPostInsecurely>false</urPostInsecurely>
                <urInitialDelayS>1800</urInitialDelayS>
                <restartOnWakeup>true</restartOnWakeup>
                <autoUpgradeIntervalH>12</autoUpgradeIntervalH>
                <upgradeToPreReleases>false</upgradeToPreReleases>
                <keepTemporariesH>24</keepTemporariesH>
                <cacheIgnoredFiles>false</cacheIgnoredFiles>
                <progressUpdateIntervalS>5</progressUpdateIntervalS>
                <limitBandwidthInLan>false</limitBandwidthInLan>
                <minHomeDiskFree unit="%">1</minHomeDiskFree>
                <releasesURL>https://upgrades.syncthing.net/meta.json</releasesURL>
                <overwriteRemoteDeviceNamesOnConnect>false</overwriteRemoteDeviceNamesOnConnect>
                <tempIndexMinBlocks>10</tempIndexMinBlocks>
                <unackedNotificationID>authenticationUserAndPassword</unackedNotificationID>
                <trafficClass>0</trafficClass>
                <setLowPriority>true</setLowPriority>
                <maxFolderConcurrency>0</maxFolderConcurrency>
                <crashReportingURL>https://crash.syncthing.net/newcrash</crashReportingURL>
                <crashReportingEnabled>true</crashReportingEnabled>
                <stunKeepaliveStartS>180</stunKeepaliveStartS>
                <stunKeepaliveMinS>20</stunKeepaliveMinS>
                <stunServer>default</stunServer>
                <databaseTuning>auto</databaseTuning>
                <maxConcurrentIncomingRequestKiB>0</maxConcurrentIncomingRequestKiB>
                <announceLANAddresses>true</announceLANAddresses>
                <sendFullIndexOnUpgrade>false</sendFullIndexOnUpgrade>
                <connectionLimitEnough>0</connectionLimitEnough>
                <connectionLimitMax>0</connectionLimitMax>
                <insecureAllowOldTLSVersions>false</insecureAllowOldTLSVersions>
            </options>
            <defaults>
                <folder id="" label="" path="~" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="10" ignorePerms="false" autoNormalize="true">
                    <filesystemType>basic</filesystemType>
                    <device id="IWQNTZB-C5HLMTV-HFT5ENE-KNU74MR-KOPKJHS-F5HEADS-NS7T4ED-KF6LWAT" introducedBy="">
                        <encryptionPassword></encryptionPassword>
                    </device>
                    <minDiskFree unit="%">1</minDiskFree>
                    <versioning>
                        <cleanupIntervalS>3600</cleanupIntervalS>
                        <fsPath></fsPath>
                        <fsType>basic</fsType>
                    </versioning>
                    <copiers>0</copiers>
                    <pullerMaxPendingKiB>0</pullerMaxPendingKiB>
                    <hashers>0</hashers>
                    <order>random</order>
                    <ignoreDelete>false</ignoreDelete>
                    <scanProgressIntervalS>0</scanProgressIntervalS>
                    <pullerPauseS>0</pullerPauseS>
                    <maxConflicts>10</maxConflicts>
                    <disableSparseFiles>false</disableSparseFiles>
                    <disableTempIndexes>false</disableTempIndexes>
                    <paused>false</paused>
                    <weakHashThresholdPct>25</weakHashThresholdPct>
                    <markerName>.stfolder</markerName>
                    <copyOwnershipFromParent>false</copyOwnershipFromParent>
                    <modTimeWindowS>0</modTimeWindowS>
                    <maxConcurrentWrites>2</maxConcurrentWrites>
                    <disableFsync>false</disableFsync>
                    <blockPullOrder>standard</blockPullOrder>
                    <copyRangeMethod>standard</copyRangeMethod>
                    <caseSensitiveFS>false</caseSensitiveFS>
                    <junctionsAsDirs>false</junctionsAsDirs>
                </folder>
                <device id="" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
                    <address>dynamic</address>
                    <paused>false</paused>
                    <autoAcceptFolders>false</autoAcceptFolders>
                    <maxSendKbps>0</maxSendKbps>
                    <maxRecvKbps>0</maxRecvKbps>
                    <maxRequestKiB>0</maxRequestKiB>
                    <untrusted>false</untrusted>
                    <remoteGUIPort>0</remoteGUIPort>
                </device>
                <ignores></ignores>
            </defaults>
        </configuration>
        """;

    private static readonly SyncthingAddress Listen = SyncthingAddress.Parse("tcp://10.231.0.13:22000");

    [Fact]
    public void Apply_GeneratedConfig_PutsTheApiOnLoopbackWithOurKey()
    {
        var gui = Root(ApplyToGenerated()).Element("gui")!;
        gui.Element("address")!.Value.Should().Be("127.0.0.1:8385");
        gui.Element("apikey")!.Value.Should().Be(ApiKey);
        gui.Attribute("enabled")!.Value.Should().Be("true");
        gui.Attribute("tls")!.Value.Should().Be("false");
    }

    [Fact]
    public void Apply_GeneratedConfig_ListensOnTheNodeAddressOnly()
    {
        var options = Root(ApplyToGenerated()).Element("options")!;
        options.Elements("listenAddress").Select(e => e.Value).Should().Equal("tcp://10.231.0.13:22000");
    }

    [Theory]
    [InlineData("globalAnnounceEnabled", "false")]
    [InlineData("localAnnounceEnabled", "false")]
    [InlineData("relaysEnabled", "false")]
    [InlineData("natEnabled", "false")]
    [InlineData("urAccepted", "-1")]
    [InlineData("autoUpgradeIntervalH", "0")]
    [InlineData("crashReportingEnabled", "false")]
    [InlineData("startBrowser", "false")]
    [InlineData("reconnectionIntervalS", "10")]
    public void Apply_GeneratedConfig_TurnsOffEverythingThatReachesOutside(string option, string expected)
    {
        Root(Generated).Element("options")!.Element(option)!.Value.Should().NotBe(expected, "the generated default differs, so the edit is what sets it");
        Root(ApplyToGenerated()).Element("options")!.Elements(option).Select(e => e.Value).Should().Equal(expected);
    }

    [Fact]
    public void Apply_GeneratedConfig_NamesThisDeviceAfterTheNode()
    {
        var root = Root(ApplyToGenerated());
        root.Elements("device").Should().ContainSingle().Which.Attribute("name")!.Value.Should().Be("n3");
        root.Element("defaults")!.Element("device")!.Attribute("name").Should().BeNull("the template for new devices is not this device");
    }

    [Fact]
    public void Apply_GeneratedConfig_KeepsEverythingElse()
    {
        var before = Root(Generated);
        var after = Root(ApplyToGenerated());

        XNode.DeepEquals(after.Element("defaults"), before.Element("defaults")).Should().BeTrue();
        XNode.DeepEquals(after.Element("ldap"), before.Element("ldap")).Should().BeTrue();
        after.Attribute("version")!.Value.Should().Be("36");
        after.Element("options")!.Element("natLeaseMinutes")!.Value.Should().Be("60");
        after.Element("options")!.Element("globalAnnounceServer")!.Value.Should().Be("default");
        after.Element("gui")!.Element("theme")!.Value.Should().Be("default");
        after.Element("device")!.Element("address")!.Value.Should().Be("dynamic");
    }

    [Fact]
    public void Apply_ToItsOwnResult_ChangesNothing()
    {
        var once = ApplyToGenerated();
        SyncthingHomeConfig.Apply(once, SyncthingDeviceId.Parse(N3), NodeName.Parse("n3"), Listen, "127.0.0.1:8385", ApiKey).Should().BeNull();
    }

    [Theory]
    [InlineData("n4", "tcp://10.231.0.13:22000", "127.0.0.1:8385", ApiKey, "name=\"n4\"")]
    [InlineData("n3", "tcp://10.231.0.23:22000", "127.0.0.1:8385", ApiKey, "<listenAddress>tcp://10.231.0.23:22000</listenAddress>")]
    [InlineData("n3", "tcp://10.231.0.13:22000", "[::1]:8384", ApiKey, "<address>[::1]:8384</address>")]
    [InlineData("n3", "tcp://10.231.0.13:22000", "127.0.0.1:8385", "another-key-0123456789-0123456789", "<apikey>another-key-0123456789-0123456789</apikey>")]
    public void Apply_ToItsOwnResultWithOneSettingChanged_EditsThatSetting(string node, string listen, string apiAddress, string apiKey, string expected)
    {
        var edited = SyncthingHomeConfig.Apply(ApplyToGenerated(), SyncthingDeviceId.Parse(N3), NodeName.Parse(node), SyncthingAddress.Parse(listen), apiAddress, apiKey);
        edited.Should().NotBeNull().And.Contain(expected);
    }

    [Fact]
    public void Apply_ExtraListenAddresses_AreReplacedByTheOne()
    {
        var withTwo = Generated.Replace("<listenAddress>default</listenAddress>",
            "<listenAddress>tcp://10.231.0.13:22000</listenAddress><listenAddress>quic://0.0.0.0:22000</listenAddress>", StringComparison.Ordinal);
        Root(Apply(withTwo)!).Element("options")!.Elements("listenAddress").Select(e => e.Value).Should().Equal("tcp://10.231.0.13:22000");
    }

    [Fact]
    public void Apply_ConfigOfAnotherDevice_IsRejected()
    {
        var act = () => SyncthingHomeConfig.Apply(Generated, SyncthingDeviceId.Parse(N2), NodeName.Parse("n3"), Listen, "127.0.0.1:8385", ApiKey);
        act.Should().Throw<FormatException>().WithMessage($"*{N2}*");
    }

    [Fact]
    public void Apply_NotASyncthingConfig_IsRejected()
    {
        var act = () => Apply("<settings><gui/></settings>");
        act.Should().Throw<FormatException>().WithMessage("*<configuration>*");
    }

    private static string ApplyToGenerated() => Apply(Generated) ?? throw new InvalidOperationException("the generated config needed no edit");

    private static string? Apply(string xml) =>
        SyncthingHomeConfig.Apply(xml, SyncthingDeviceId.Parse(N3), NodeName.Parse("n3"), Listen, "127.0.0.1:8385", ApiKey);

    private static XElement Root(string xml) => XDocument.Parse(xml).Root!;
}
