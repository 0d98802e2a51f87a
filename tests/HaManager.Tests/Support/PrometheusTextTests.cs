namespace HaManager.Tests.Support;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Parse_ValidExposition_ReadsSamplesWithEscapedLabels()
    {
        var text = "# HELP up_total Things.\n# TYPE up_total counter\nup_total{a=\"x\\\"}y\",b=\"2\"} 3\nup_total 1e3\n# TYPE g gauge\ng NaN\n";
        var parsed = PrometheusText.Parse(text);
        parsed.Value("up_total", ("a", "x\"}y"), ("b", "2")).Should().Be(3);
        parsed.Value("up_total", []).Should().Be(1000, "the series without labels");
        parsed.Series("up_total").Should().HaveCount(2);
        double.IsNaN(parsed.Series("g").Single().Value).Should().BeTrue();
    }

    [Theory]
    [InlineData("x 1", "line feed")]
    [InlineData("x{a=\"1\"} one\n", "not a float")]
    [InlineData("x{1a=\"1\"} 1\n", "bad label list")]
    [InlineData("x{a=1} 1\n", "bad label list")]
    [InlineData("x 1 2 3\n", "not a sample line")]
    [InlineData("x{a=\"1\",a=\"2\"} 1\n", "twice")]
    [InlineData("x 1\nx 2\n", "duplicate series")]
    [InlineData("x 1\ny 1\nx{a=\"b\"} 1\n", "not together")]
    [InlineData("x 1\n# TYPE x gauge\n", "after its samples")]
    [InlineData("# TYPE x counter\nx 1\n", "should end in _total")]
    [InlineData("# TYPE x thing\n", "must be one of")]
    [InlineData("x{a=\"\\q\"} 1\n", "unknown escape")]
    public void Parse_InvalidExposition_ThrowsWithTheLine(string text, string why)
    {
        var parse = () => PrometheusText.Parse(text);
        parse.Should().Throw<FormatException>().Which.Message.Should().Contain(why);
    }
}
