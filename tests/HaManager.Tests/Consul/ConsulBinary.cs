namespace HaManager.Tests.Consul;

/// <summary>Finds the consul executable the way the lab installs it.</summary>
internal static class ConsulBinary
{
    public const string EnvironmentVariable = "HAMANAGER_CONSUL_BIN";
    public const string LabPath = "/var/cache/hamanager-lab/tools/consul";

    public static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            // An explicit setting that points nowhere is a mistake worth reporting, not something to paper over.
            return File.Exists(fromEnv)
                ? fromEnv
                : throw new InvalidOperationException(
                    $"Consul binary not found — run lab/install-deps ({EnvironmentVariable}={fromEnv} does not exist).");
        }

        if (File.Exists(LabPath))
        {
            return LabPath;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "consul"))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(
            $"Consul binary not found — run lab/install-deps (looked at ${EnvironmentVariable}, {LabPath} and PATH).");
    }
}
