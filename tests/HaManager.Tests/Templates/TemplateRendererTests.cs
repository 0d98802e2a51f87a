using HaManager.Templates;
using HaManager.Tests.Support;

namespace HaManager.Tests.Templates;

public sealed class TemplateRendererTests
{
    [Fact]
    public void EmbeddedTemplateNames_Always_ListsEveryTemplateFile()
    {
        TemplateRenderer.EmbeddedTemplateNames.Should().Equal(
            "hamanager-replication.conf", "keepalived.conf", "pg_hba.conf", "pgbouncer.ini", "repmgr.conf", "userlist.txt");
    }

    [Theory]
    [InlineData("pg_hba-three-nodes.conf", "pg_hba.conf")]
    [InlineData("pg_hba-no-nodes.conf", "pg_hba.conf")]
    [InlineData("pgbouncer.ini", "pgbouncer.ini")]
    [InlineData("hamanager-replication-quorum.conf", "hamanager-replication.conf")]
    [InlineData("hamanager-replication-no-standby.conf", "hamanager-replication.conf")]
    [InlineData("hamanager-replication-off.conf", "hamanager-replication.conf")]
    [InlineData("userlist.txt", "userlist.txt")]
    public void Render_EmbeddedTemplate_MatchesGoldenFile(string golden, string template)
    {
        Golden.Check(golden, new TemplateRenderer().Render(template, Sample(golden)));
    }

    [Fact]
    public void Render_PgHbaWithAnIpv6Node_AdmitsThatOneHost()
    {
        var view = new HaManager.Templates.Views.PgHbaView(
            [(HaManager.Cluster.Model.NodeName.Parse("n1"), System.Net.IPAddress.Parse("10.231.0.11")), (HaManager.Cluster.Model.NodeName.Parse("n2"), System.Net.IPAddress.Parse("fd00:231::12"))],
            HaManager.Cluster.Model.SqlIdentifier.Parse("app"), HaManager.Cluster.Model.SqlIdentifier.Parse("app_user"));

        var text = new TemplateRenderer().Render("pg_hba.conf", view);

        text.Should().Contain("host    replication     repmgr          fd00:231::12/128          scram-sha-256")
            .And.Contain("host    replication     repmgr          10.231.0.11/32          scram-sha-256")
            .And.NotContain("fd00:231::12/32");
    }

    [Fact]
    public void Render_RepmgrConf_RendersNodeAndCommands()
    {
        var text = new TemplateRenderer().Render("repmgr.conf", TemplateSamples.Repmgr());

        text.Should().Contain("node_id=1\n").And.Contain("node_name='n1'\n").And.Contain("priority=100\n")
            .And.Contain("follow_command='/usr/bin/repmgr standby follow --upstream-node-id=%n'\n")
            .And.EndWith("repmgrd_pid_file='/run/postgresql/repmgrd.pid'\n");
    }

    [Fact]
    public void Render_OverrideFile_TakesPrecedenceOverEmbedded()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pg_hba.conf.scriban"), "{{~ for node in Nodes ~}}\n{{node.Name}}={{node.Address}}\n{{~ end ~}}\n");

        var text = new TemplateRenderer(dir.Path).Render("pg_hba.conf", TemplateSamples.PgHba("n1", "n2"));

        text.Should().Be("n1=10.231.0.11\nn2=10.231.0.12\n");
        new TemplateRenderer(dir.Path).SourceOf("pg_hba.conf").Should().Be(dir.File("pg_hba.conf.scriban"));
    }

    [Fact]
    public void Render_OverrideDirectoryWithoutThatFile_UsesEmbedded()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pg_hba.conf.scriban"), "custom\n");

        var text = new TemplateRenderer(dir.Path).Render("userlist.txt", TemplateSamples.Userlist());

        text.Should().Be(new TemplateRenderer().Render("userlist.txt", TemplateSamples.Userlist()));
        new TemplateRenderer(dir.Path).SourceOf("userlist.txt").Should().Be("embedded userlist.txt.scriban");
    }

    [Fact]
    public void Render_UnknownVariable_ThrowsNamingTemplateAndLine()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pgbouncer.ini.scriban");
        var act = Override(dir, path, "[databases]\n{{AppDatabase}} = host={{MastrHost}}\n", "pgbouncer.ini", TemplateSamples.Pgbouncer());

        act.Should().Throw<TemplateException>()
            .WithMessage($"template 'pgbouncer.ini' ({path}) failed to render at line 2, column *: *`MastrHost`*");
    }

    [Fact]
    public void Render_UnknownMember_ThrowsNamingTemplateAndLine()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pg_hba.conf.scriban");
        var act = Override(dir, path, "# nodes\n{{~ for node in Nodes ~}}\nhost {{node.Adress}}/32\n{{~ end ~}}\n", "pg_hba.conf", TemplateSamples.PgHba("n1"));

        act.Should().Throw<TemplateException>()
            .WithMessage($"template 'pg_hba.conf' ({path}) failed to render at line 3, column *: *Adress*");
    }

    [Theory]
    [InlineData("{{app_user}}")]
    [InlineData("{{AppUser.Nope}}")]
    [InlineData("{{AppUser[99]}}")]
    [InlineData("{{no_such_function AppUser}}")]
    public void Render_RelaxedAccess_IsAnError(string text)
    {
        using var dir = new TempDirectory();
        var act = Override(dir, "userlist.txt.scriban", text, "userlist.txt", TemplateSamples.Userlist());

        act.Should().Throw<TemplateException>().WithMessage("template 'userlist.txt' (*) failed to render at line 1, *");
    }

    [Fact]
    public void Render_OverrideThatDoesNotParse_ThrowsNamingFileAndLine()
    {
        using var dir = new TempDirectory();
        var path = dir.File("userlist.txt.scriban");
        var act = Override(dir, path, "\"{{AppUser}}\"\n{{ if AppUser }\n", "userlist.txt", TemplateSamples.Userlist());

        act.Should().Throw<TemplateException>().WithMessage($"template 'userlist.txt' ({path}) does not parse: line 2, column *");
    }

    [Fact]
    public void Render_LeftoverHandlebarsOverride_ThrowsInsteadOfIgnoringIt()
    {
        using var dir = new TempDirectory();
        var path = dir.File("userlist.txt.hbs");
        var act = Override(dir, path, "\"{{AppUser}}\" \"{{AppPassword}}\"\n", "userlist.txt", TemplateSamples.Userlist());

        act.Should().Throw<TemplateException>().WithMessage($"*{path} is a Handlebars template*userlist.txt.scriban*");
    }

    [Fact]
    public void Render_ValueWithMarkup_IsNotHtmlEscaped()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("note.scriban"), "{{Text}}\n");

        new TemplateRenderer(dir.Path).Render("note", new MarkupView("<a href=\"x\">&'</a>")).Should().Be("<a href=\"x\">&'</a>\n");
    }

    /// <summary>Writes an override file and returns the render that should read it.</summary>
    private static Func<string> Override(TempDirectory dir, string file, string text, string template, object view)
    {
        File.WriteAllText(dir.File(file), text);
        return () => new TemplateRenderer(dir.Path).Render(template, view);
    }

    private static object Sample(string golden) => golden switch
    {
        "pg_hba-three-nodes.conf" => TemplateSamples.PgHba("n1", "n2", "n3"),
        "pg_hba-no-nodes.conf" => TemplateSamples.PgHba(),
        "pgbouncer.ini" => TemplateSamples.Pgbouncer(),
        "hamanager-replication-quorum.conf" => TemplateSamples.Replication(true, "n3", "n2"),
        "hamanager-replication-no-standby.conf" => TemplateSamples.Replication(true),
        "hamanager-replication-off.conf" => TemplateSamples.Replication(false, "n2"),
        "userlist.txt" => TemplateSamples.Userlist(),
        _ => throw new ArgumentOutOfRangeException(nameof(golden), golden, "no sample view for this golden file"),
    };

    private sealed record MarkupView(string Text);
}
