using HaManager.Cli.Drill;

namespace HaManager.Tests.Cli.Drill;

public sealed class DrillTableTests
{
    [Fact]
    public void At_NamesTheTableAfterTheStartInUtc_AndQuotesIt()
    {
        var table = DrillTable.At(new DateTimeOffset(2026, 3, 4, 7, 8, 9, TimeSpan.FromHours(2)));

        table.Name.Should().Be("hamanager_drill_20260304050809");
        table.Quoted.Should().Be("\"hamanager_drill_20260304050809\"");
    }

    [Theory]
    [InlineData("drill")]
    [InlineData("hamanager_drill_2026")]
    [InlineData("hamanager_drill_20260304050809; DROP TABLE x")]
    [InlineData("hamanager_drill_2026030405080\"")]
    [InlineData("HAMANAGER_DRILL_20260304050809")]
    public void Parse_AnythingButADrillTableName_IsRejected(string name)
    {
        var parse = () => DrillTable.Parse(name);

        parse.Should().Throw<FormatException>();
    }
}
