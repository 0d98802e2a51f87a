using System.Net;
using HaManager.Cluster.Model;
using HaManager.Templates;
using HaManager.Templates.Views;
using HaManager.Tests.Support;

namespace HaManager.Tests.Templates;

public sealed class KeepalivedTemplateTests
{
    private static readonly NotifyCommand Notify = NotifyCommand.FromWords("/usr/bin/hamanager", "--config", "/etc/hamanager/hamanager.yaml", "notify", "keepalived");

    [Fact]
    public void Render_ThreeNodes_MatchesGoldenFile()
    {
        var view = View(priority: 150, master: true, "10.231.0.13", "10.231.0.12");
        Golden.Check("keepalived-n1-of-3.conf", new TemplateRenderer().Render("keepalived.conf", view));
    }

    [Fact]
    public void Render_SingleNode_HasNoUnicastBlock()
    {
        var view = View(priority: 150, master: true);
        var text = new TemplateRenderer().Render("keepalived.conf", view);
        Golden.Check("keepalived-single-node.conf", text);
        text.Should().NotContain("unicast_peer", "keepalived rejects a unicast block without peers");
    }

    [Fact]
    public void Render_OverrideTemplate_IsPreferredOverEmbedded()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("keepalived.conf" + TemplateRenderer.Extension), "custom {{NodeName}} {{Priority}}\n");
        new TemplateRenderer(dir.Path).Render("keepalived.conf", View(140, false)).Should().Be("custom n1 140\n");
    }

    [Fact]
    public void Render_OverrideWithUnknownField_FailsInsteadOfRenderingEmpty()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("keepalived.conf" + TemplateRenderer.Extension), "priority {{Priorty}}\n");
        var act = () => new TemplateRenderer(dir.Path).Render("keepalived.conf", View(140, false));
        act.Should().Throw<Exception>().WithMessage("*Priorty*");
    }

    [Theory]
    [InlineData("/usr/bin/hamanager\" ; reboot")]
    [InlineData("/usr/bin/ha manager")]
    [InlineData("/usr/bin/x\nnotify")]
    public void NotifyCommand_UnsafeWord_IsRejected(string word)
    {
        var act = () => NotifyCommand.FromWords(word, "notify");
        act.Should().Throw<FormatException>();
    }

    [Theory]
    [InlineData("eth0 }")]
    [InlineData("")]
    [InlineData("averyveryverylongname")]
    public void InterfaceName_Invalid_IsRejected(string name)
    {
        var act = () => InterfaceName.Parse(name);
        act.Should().Throw<FormatException>();
    }

    private static KeepalivedConfView View(int priority, bool master, params string[] peers) => new(
        "hamanager/", NodeName.Parse("n1"), master, InterfaceName.Parse("eth0"), 51, priority, 1,
        IPAddress.Parse("10.231.0.11"), peers.Select(IPAddress.Parse), Cidr.Parse("10.231.0.100/24"), Notify,
        new PrimaryTrackFile("/var/lib/hamanager/keepalived-primary", 150));
}
