using HaManager.Bootstrap.Postgres;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Bootstrap.Postgres;

public sealed class PostgresRolesTests
{
    private static readonly PostgresSecrets Secrets = new()
    {
        RepmgrPassword = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr", AppPassword = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", MonitorPassword = "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm",
    };

    private static readonly SqlIdentifier AppUser = SqlIdentifier.Parse("manager");

    [Fact]
    public void Statements_NewCluster_CreateTheMonitoringRoleWithoutSuperuserInPgMonitorReadOnly()
    {
        var sql = PostgresRoles.Statements(Secrets, AppUser, new HashSet<string>()).Select(s => s.Sql).ToList();

        sql.Should().HaveCount(5);
        sql[0].Should().StartWith("CREATE ROLE repmgr SUPERUSER LOGIN REPLICATION PASSWORD 'SCRAM-SHA-256$4096:");
        sql[1].Should().StartWith("CREATE ROLE manager LOGIN PASSWORD 'SCRAM-SHA-256$");
        sql[2].Should().StartWith("CREATE ROLE hamanager_monitor LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$");
        sql[3].Should().Be("GRANT pg_monitor TO hamanager_monitor");
        sql[4].Should().Be("ALTER ROLE hamanager_monitor SET default_transaction_read_only = on");
    }

    [Fact]
    public void Statements_RolesExist_AlterThemAndReportUpdated()
    {
        var statements = PostgresRoles.Statements(Secrets, AppUser, new HashSet<string> { "repmgr", "manager", "hamanager_monitor" });

        statements.Take(3).Should().OnlyContain(s => s.Sql.StartsWith("ALTER ROLE ", StringComparison.Ordinal));
        statements.Select(s => s.Done).Where(d => d is not null).Should().Equal("role repmgr updated", "role manager updated", "role hamanager_monitor updated");
    }

    [Fact]
    public void Statements_NeverCarryAClearPassword_NotEvenInToString()
    {
        var statements = PostgresRoles.Statements(Secrets, AppUser, new HashSet<string>());

        foreach (var statement in statements)
        {
            foreach (var password in new[] { Secrets.RepmgrPassword, Secrets.AppPassword, Secrets.MonitorPassword! })
            {
                statement.Sql.Should().NotContain(password);
                statement.ToString().Should().NotContain(password).And.NotContain("SCRAM");
            }
        }
    }

    [Fact]
    public void Statements_SecretsWithoutMonitorPassword_LeaveTheMonitoringRoleOut()
    {
        var statements = PostgresRoles.Statements(Secrets with { MonitorPassword = null }, AppUser, new HashSet<string>());

        statements.Should().HaveCount(2);
        statements.Should().NotContain(s => s.Sql.Contains("hamanager_monitor", StringComparison.Ordinal));
    }

    [Fact]
    public void ScramVerifier_FixedSalt_IsWhatPostgresAcceptsForThatPassword()
    {
        // Checked by hand against PostgreSQL 15: a role given this verifier logs in with the password, and with no other.
        var verifier = ScramVerifier.Compute("abcDEF0123456789-_abcdefgh", Enumerable.Range(0, 16).Select(i => (byte)i).ToArray(), 4096);

        verifier.Should().Be("SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$GOa+WTn9URnwEVkrc96SSa8L2gpbyVGCbheIPrHmhIo=:mkRvNp9AgkA3PA8SE6OUMAx8MJK3KBehJ0Q31Wb3/yE=");
    }

    [Fact]
    public void ScramVerifier_RandomSalt_DiffersEachTimeAndHasPostgresShape()
    {
        var one = ScramVerifier.Compute(Secrets.RepmgrPassword);
        var two = ScramVerifier.Compute(Secrets.RepmgrPassword);

        one.Should().NotBe(two);
        one.Should().MatchRegex(@"^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$");
    }

    [Fact]
    public void ScramVerifier_NonAsciiPassword_IsRefused()
    {
        var act = () => ScramVerifier.Compute("pässwörd-pässwörd-pässwörd");
        act.Should().Throw<ArgumentException>().WithMessage("*ASCII*");
    }
}
