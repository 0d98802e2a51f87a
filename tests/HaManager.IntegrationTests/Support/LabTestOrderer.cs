using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCaseOrderer("HaManager.IntegrationTests.Support.LabTestOrderer", "HaManager.IntegrationTests")]

namespace HaManager.IntegrationTests.Support;

/// <summary>
/// Keeps xunit's usual order, except that tests marked <c>[Trait(LabTestOrderer.Trait, LabTestOrderer.Last)]</c>
/// run after all others: they change the lab for good (e.g. a fifth node joins), and the one lab is shared.
/// </summary>
public sealed class LabTestOrderer : ITestCaseOrderer
{
    public const string Trait = "lab-order";
    public const string Last = "last";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => IsLast(t)).ThenBy(t => t.UniqueID, StringComparer.Ordinal);

    private static bool IsLast(ITestCase testCase) =>
        testCase.Traits.TryGetValue(Trait, out var values) && values.Contains(Last);
}
