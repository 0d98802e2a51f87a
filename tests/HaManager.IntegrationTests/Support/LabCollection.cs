namespace HaManager.IntegrationTests.Support;

[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}

/// <summary>
/// Tests that change the lab for good (a fifth node joins) get a lab of their own: collections run one
/// after the other, each with a fresh 3-node lab, so the shared lab above always has exactly n1-n3.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GrowingLabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "lab-growing";
}
