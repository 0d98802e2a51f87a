using System.Runtime.CompilerServices;

namespace HaManager.Tests.Support;

/// <summary>Files of the repository the tests were built from (committed, generated artefacts that must not drift).</summary>
public static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot([CallerFilePath] string self = "")
    {
        for (var dir = new DirectoryInfo(System.IO.Path.GetDirectoryName(self)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HaManager.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"no HaManager.sln above {self}");
    }
}
