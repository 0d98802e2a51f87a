using System.Globalization;
using HaManager.Tests.Support;

namespace HaManager.LabClient;

/// <summary>
/// Opens the status page in headless Chromium inside the node namespace it runs in (the test host cannot
/// reach lab addresses), marks the page once, and every 200 ms reads which primary it shows. Each time that
/// changes it appends "PRIMARY ROWS MARKER" to OUTDIR/seen (MARKER is "kept" while the page was never
/// reloaded) and saves OUTDIR/status-page-N.png. Ends when the stop file appears or time runs out.
/// </summary>
public static class StatusPageObserver
{
    private const string ReadPage = """
        var rows = document.querySelectorAll('#nodes tbody tr');
        var primary = document.querySelectorAll("#nodes tbody tr[data-role='primary']");
        return [primary.length === 1 ? primary[0].dataset.node : '-', String(rows.length), window.__setOnce === 'marker' ? 'kept' : 'lost'].join(' ');
        """;

    public static async Task<int> RunAsync(string url, string outDir, string stopFile, int maxSeconds)
    {
        Directory.CreateDirectory(outDir);
        using var chromium = new HeadlessChromium();
        chromium.Driver.Navigate().GoToUrl(url);
        chromium.Script("window.__setOnce = 'marker'; return null;");
        var deadline = DateTime.UtcNow.AddSeconds(maxSeconds);
        string? last = null;
        var shots = 0;
        while (!File.Exists(stopFile) && DateTime.UtcNow < deadline)
        {
            var seen = chromium.Script(ReadPage) as string;
            if (seen is not null && seen != last && !seen.StartsWith('-'))
            {
                chromium.SaveScreenshot(Path.Combine(outDir, $"status-page-{++shots}.png"));
                await File.AppendAllTextAsync(Path.Combine(outDir, "seen"), seen + "\n");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} {seen}"));
                last = seen;
            }

            await Task.Delay(200);
        }

        return 0;
    }
}
