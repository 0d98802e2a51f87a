using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace HaManager.Tests.Support;

/// <summary>
/// Debian's Chromium driven through Debian's chromedriver (both from lab/install-deps): Selenium is given
/// both paths, so it never looks for, or downloads, a browser or a driver of its own.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string Browser = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly DirectoryInfo _profile = Directory.CreateTempSubdirectory("hamanager-chromium-");

    public HeadlessChromium()
    {
        if (!File.Exists(Browser) || !File.Exists(DriverPath))
            throw new InvalidOperationException($"{Browser} and {DriverPath} are needed: apt-get install chromium chromium-driver (lab/install-deps installs them)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        // As root in a container: no sandbox; nothing that reaches out of the machine (updates, sync, QUIC probes).
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900", $"--user-data-dir={_profile.FullName}");
        try
        {
            Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            _profile.Delete(recursive: true);
            throw;
        }
    }

    public IWebDriver Driver { get; }

    public object? Script(string script) => ((IJavaScriptExecutor)Driver).ExecuteScript(script);

    /// <summary>Where a test keeps its screenshots: the test output directory, or $HAMANAGER_SCREENSHOT_DIR (a CI artifact).</summary>
    public static string ScreenshotPath(string name)
    {
        var directory = Environment.GetEnvironmentVariable("HAMANAGER_SCREENSHOT_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    public string SaveScreenshot(string path)
    {
        ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _profile.Delete(recursive: true);
    }
}
