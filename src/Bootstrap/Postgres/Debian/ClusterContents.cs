using System.Globalization;

namespace HaManager.Bootstrap.Postgres.Debian;

/// <summary>
/// What a data directory holds beyond a fresh initdb, read from its files (so it works whether the
/// cluster runs or not). Every object initdb creates has an OID below 16384 (PostgreSQL's
/// FirstNormalObjectId): template1, template0, postgres and their catalogs. A database or a relation
/// created afterwards gets a directory under base/, or a file in one, numbered 16384 or more; a
/// tablespace adds a link under pg_tblspc.
/// </summary>
/// <param name="Unreadable">Why the directory could not be read; the cluster then counts as holding data.</param>
public sealed record ClusterContents(int AddedDatabases, int AddedRelations, int Tablespaces, string? Unreadable = null)
{
    private const long FirstNormalObjectId = 16384;

    public bool IsUntouched => Unreadable is null && AddedDatabases == 0 && AddedRelations == 0 && Tablespaces == 0;

    public static ClusterContents Read(string dataDirectory)
    {
        try
        {
            var databases = Directory.GetDirectories(Path.Combine(dataDirectory, "base"))
                .Select(directory => (Directory: directory, Oid: ObjectId(Path.GetFileName(directory))))
                .ToList();
            var relations = databases.Where(d => d.Oid is > 0 and < FirstNormalObjectId)
                .SelectMany(d => Directory.GetFiles(d.Directory).Select(file => (Database: d.Oid, Relation: ObjectId(Path.GetFileName(file)))))
                .Where(r => r.Relation >= FirstNormalObjectId)
                .Distinct() // one relation has several files (16385, 16385_fsm, 16385.1)
                .Count();
            var tablespaceDirectory = Path.Combine(dataDirectory, "pg_tblspc");
            var tablespaces = Directory.Exists(tablespaceDirectory) ? Directory.GetFileSystemEntries(tablespaceDirectory).Length : 0;
            return new ClusterContents(databases.Count(d => d.Oid >= FirstNormalObjectId), relations, tablespaces);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ClusterContents(0, 0, 0, e.Message);
        }
    }

    /// <summary>What it holds, for a message: "2 database(s) besides template0, template1 and postgres, 3 table(s), … created after initdb".</summary>
    public string Describe()
    {
        if (Unreadable is not null) return $"its data directory could not be read ({Unreadable})";
        if (IsUntouched) return "nothing beyond what initdb created";
        var parts = new List<string>();
        if (AddedDatabases > 0) parts.Add($"{AddedDatabases} database(s) besides template0, template1 and postgres");
        if (AddedRelations > 0) parts.Add($"{AddedRelations} table(s), index(es) or other relation(s) created after initdb");
        if (Tablespaces > 0) parts.Add($"{Tablespaces} tablespace(s)");
        return string.Join(", ", parts);
    }

    /// <summary>The number a relation file or database directory is named by ("16384", "16384_fsm", "16384.1"); 0 for other files.</summary>
    private static long ObjectId(string fileName)
    {
        var digits = fileName.TakeWhile(char.IsAsciiDigit).Count();
        return digits > 0 && long.TryParse(fileName.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var oid) ? oid : 0;
    }
}
