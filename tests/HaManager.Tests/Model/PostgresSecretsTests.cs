using System.Text;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;

namespace HaManager.Tests.Model;

public sealed class PostgresSecretsTests
{
    private const string Repmgr = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";
    private const string App = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Monitor = "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm";

    [Fact]
    public void Parse_RecordWrittenBeforeTheMonitorRole_StillParsesWithoutAMonitorPassword()
    {
        var ok = KvJson.TryParse<PostgresSecrets>("hamanager/secrets/postgres", Encoding.UTF8.GetBytes($$"""{"repmgr_password":"{{Repmgr}}","app_password":"{{App}}"}"""),
            out var secrets, out var error);

        ok.Should().BeTrue(error?.ToString());
        secrets!.MonitorPassword.Should().BeNull();
        secrets.RepmgrPassword.Should().Be(Repmgr);
    }

    [Fact]
    public void SerializeParse_WithMonitorPassword_RoundTripsUnderItsSnakeCaseName()
    {
        var json = Encoding.UTF8.GetString(KvJson.Serialize(new PostgresSecrets { RepmgrPassword = Repmgr, AppPassword = App, MonitorPassword = Monitor }));

        json.Should().Contain($"\"monitor_password\":\"{Monitor}\"");
        KvJson.TryParse<PostgresSecrets>("k", Encoding.UTF8.GetBytes(json), out var back, out _).Should().BeTrue();
        back!.MonitorPassword.Should().Be(Monitor);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has'quote-has'quote-has'quote")]
    [InlineData("has:colon-has:colon-has:colon")]
    public void Validate_UnsafeMonitorPassword_IsRefusedWithoutEchoingIt(string password)
    {
        var problems = new PostgresSecrets { RepmgrPassword = Repmgr, AppPassword = App, MonitorPassword = password }.Validate().ToList();

        problems.Should().ContainSingle().Which.Should().Contain("monitor_password").And.NotContain(password);
    }

    [Fact]
    public void ToString_NeverShowsAPassword()
    {
        var text = new PostgresSecrets { RepmgrPassword = Repmgr, AppPassword = App, MonitorPassword = Monitor }.ToString();

        text.Should().NotContain(Repmgr).And.NotContain(App).And.NotContain(Monitor).And.Contain("(hidden)");
        new PostgresSecrets { RepmgrPassword = Repmgr, AppPassword = App }.ToString().Should().Contain("monitor_password = (none)");
    }
}
