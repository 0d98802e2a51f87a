using HaManager.Tests.Support;

namespace HaManager.Tests.Api.Page;

/// <summary>The status page in a real browser (headless Chromium), served by the real server from a cluster document the test changes.</summary>
public sealed class StatusPageBrowserTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StatusPage_PrimaryMoves_ShowsTheNewPrimaryWithoutReloading()
    {
        await using var host = await ApiTestHost.StartAsync("n1", ClusterDocuments.ThreeNodes("n1", transitions: [ClusterDocuments.Promotion("n1", 0)]));
        using var chromium = new HeadlessChromium();
        chromium.Driver.Navigate().GoToUrl(host.BaseAddress);

        await Eventually.WaitAsync(() => Rows(chromium) == 3 && PrimaryRow(chromium) == "n1", "3 nodes with n1 as primary", Patience);
        Text(chromium, "#primary").Should().Be("n1");
        Text(chromium, "#vip-holder").Should().Be("n1");
        chromium.Script("return getComputedStyle(document.querySelector('header')).backgroundColor").Should().Be("rgb(244, 246, 248)",
            "the inline style is allowed by the page's Content-Security-Policy");
        chromium.SaveScreenshot(HeadlessChromium.ScreenshotPath("status-page-before-failover.png"));
        chromium.Script("window.__setOnce = 'marker'; return null;");
        var origin = chromium.Script("return performance.timeOrigin");

        host.Document = ClusterDocuments.ThreeNodes("n2", lagBytes: 2048,
            transitions: [ClusterDocuments.Promotion("n1", 0), ClusterDocuments.Promotion("n2", 7)]);

        await Eventually.WaitAsync(() => PrimaryRow(chromium) == "n2" && Text(chromium, "#primary") == "n2", "n2 shown as the new primary", Patience);
        chromium.Script("return window.__setOnce").Should().Be("marker", "the page updated itself; a reload would have dropped the marker");
        chromium.Script("return performance.timeOrigin").Should().Be(origin);
        Text(chromium, "#vip-holder").Should().Be("n2");
        Rows(chromium).Should().Be(3);
        chromium.Script("return document.querySelector(\"#nodes tr[data-node='n1']\").dataset.role").Should().Be("standby");
        Text(chromium, "#timeline li").Should().Contain("n2 postgres: STANDBY → PRIMARY", "the timeline is newest first");
        Text(chromium, "#nodes tr[data-node='n1']").Should().Contain("2.0 KiB");
        var path = chromium.SaveScreenshot(HeadlessChromium.ScreenshotPath("status-page.png"));
        new FileInfo(path).Length.Should().BeGreaterThan(1000);
    }

    // Read in one script each: the page replaces its rows every second, so a held element could go stale.
    private static long Rows(HeadlessChromium chromium) => (long)chromium.Script("return document.querySelectorAll('#nodes tbody tr').length")!;

    private static string? PrimaryRow(HeadlessChromium chromium) =>
        chromium.Script("var rows = document.querySelectorAll(\"#nodes tbody tr[data-role='primary']\"); return rows.length === 1 ? rows[0].dataset.node : null") as string;

    private static string? Text(HeadlessChromium chromium, string selector) =>
        chromium.Script($"var e = document.querySelector(\"{selector}\"); return e ? e.textContent : null") as string;
}
