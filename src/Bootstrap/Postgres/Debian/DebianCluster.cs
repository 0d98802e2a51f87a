using System.Globalization;

namespace HaManager.Bootstrap.Postgres.Debian;

/// <summary>A PostgreSQL cluster that Debian's postgresql-common manages (one line of `pg_lsclusters`).</summary>
public sealed record DebianCluster(string Version, string Name, int Port, bool Online, string DataDirectory)
{
    /// <summary>The cluster postgresql-common creates when a PostgreSQL server package is installed.</summary>
    public bool IsDefault => Name == "main";

    public override string ToString() => $"{Version}/{Name}";

    /// <summary>Parses `pg_lsclusters -h`: Ver Cluster Port Status Owner Data-directory Log-file, one cluster per line.</summary>
    public static IReadOnlyList<DebianCluster> ParseList(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(fields => new DebianCluster(fields[0], fields[1], int.Parse(fields[2], CultureInfo.InvariantCulture),
                fields[3].StartsWith("online", StringComparison.Ordinal), fields[5]))
            .ToList();
}
