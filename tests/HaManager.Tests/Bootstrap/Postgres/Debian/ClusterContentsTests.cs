using HaManager.Bootstrap.Postgres.Debian;
using HaManager.Tests.Support;

namespace HaManager.Tests.Bootstrap.Postgres.Debian;

public sealed class ClusterContentsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A data directory as initdb of PostgreSQL 15 leaves it: template1 (1), template0 (4), postgres (5), catalogs below 16384.</summary>
    private void FreshInitdb()
    {
        foreach (var database in new[] { "1", "4", "5" })
        {
            Directory.CreateDirectory(_dir.File($"base/{database}"));
            foreach (var file in new[] { "1247", "1247_fsm", "1247_vm", "2619", "PG_VERSION", "pg_filenode.map", "pg_internal.init" })
                File.WriteAllText(_dir.File($"base/{database}/{file}"), "");
        }

        Directory.CreateDirectory(_dir.File("pg_tblspc"));
    }

    [Fact]
    public void Read_FreshInitdb_IsUntouched()
    {
        FreshInitdb();

        var contents = ClusterContents.Read(_dir.Path);

        contents.Should().Be(new ClusterContents(0, 0, 0));
        contents.IsUntouched.Should().BeTrue();
        contents.Describe().Should().Be("nothing beyond what initdb created");
    }

    [Fact]
    public void Read_CreatedDatabase_CountsIt()
    {
        FreshInitdb();
        Directory.CreateDirectory(_dir.File("base/16384"));
        File.WriteAllText(_dir.File("base/16384/16390"), "");

        var contents = ClusterContents.Read(_dir.Path);

        contents.AddedDatabases.Should().Be(1);
        contents.IsUntouched.Should().BeFalse();
    }

    [Fact]
    public void Read_TableInPostgresDatabase_CountsItsFilesOnce()
    {
        FreshInitdb();
        foreach (var file in new[] { "16385", "16385_fsm", "16385.1", "16388" }) File.WriteAllText(_dir.File($"base/5/{file}"), "");

        ClusterContents.Read(_dir.Path).AddedRelations.Should().Be(2);
    }

    [Fact]
    public void Read_SameRelationNumberInTwoDatabases_CountsBoth()
    {
        FreshInitdb();
        File.WriteAllText(_dir.File("base/1/16385"), "");
        File.WriteAllText(_dir.File("base/5/16385"), "");

        ClusterContents.Read(_dir.Path).AddedRelations.Should().Be(2);
    }

    [Fact]
    public void Read_Tablespace_CountsIt()
    {
        FreshInitdb();
        Directory.CreateDirectory(_dir.File("pg_tblspc/16400"));

        ClusterContents.Read(_dir.Path).Tablespaces.Should().Be(1);
    }

    [Fact]
    public void Read_MissingDataDirectory_IsNotUntouched()
    {
        var contents = ClusterContents.Read(_dir.File("gone"));

        contents.IsUntouched.Should().BeFalse();
        contents.Describe().Should().StartWith("its data directory could not be read (");
    }
}
