namespace HaManager.Tests.Templates;

/// <summary>
/// Compares rendered text with a reviewed file under Templates/Golden. Set HAMANAGER_UPDATE_GOLDEN=1 to
/// rewrite the files in the source tree after an intended change, then review the diff.
/// </summary>
public static class Golden
{
    public static void Check(string name, string actual)
    {
        if (Environment.GetEnvironmentVariable("HAMANAGER_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(SourceDirectory(), "Templates", "Golden", name);
            File.WriteAllText(source, actual);
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Templates", "Golden", name);
        File.Exists(path).Should().BeTrue($"golden file {name} must exist (run with HAMANAGER_UPDATE_GOLDEN=1 once and review it)");
        actual.Should().Be(File.ReadAllText(path));
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(file))!;
}
