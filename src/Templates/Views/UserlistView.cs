using HaManager.Cluster.Model;

namespace HaManager.Templates.Views;

/// <summary>pgbouncer's auth_file line; the password comes from validated PostgresSecrets (no quote characters possible).</summary>
public sealed class UserlistView(SqlIdentifier appUser, PostgresSecrets secrets)
{
    public string AppUser { get; } = appUser.Value;
    public string AppPassword { get; } = secrets.AppPassword;

    /// <summary>pgbouncer's admin console user: `hamanager switchover` pauses and resumes clients with it.</summary>
    public const string AdminUserName = "repmgr";
    public string AdminUser => AdminUserName;
    public string AdminPassword { get; } = secrets.RepmgrPassword;
}
