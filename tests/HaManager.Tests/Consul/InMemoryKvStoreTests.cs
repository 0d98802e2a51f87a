using HaManager.Cluster.Consul;

namespace HaManager.Tests.Consul;

/// <summary>Test hooks of the fake; its KV semantics are covered by InMemoryKvStoreContractTests.</summary>
public sealed class InMemoryKvStoreTests
{
    [Fact]
    public async Task AllOperations_Unavailable_ThrowConsulUnavailableException()
    {
        var store = new InMemoryKvStore();
        await store.PutAsync("k", [1]);
        store.Unavailable = true;

        var calls = new Func<Task>[]
        {
            () => store.GetAsync("k"),
            () => store.ListAsync("k"),
            () => store.PutAsync("k", [2]),
            () => store.DeleteAsync("k"),
            () => store.DeleteTreeAsync("k"),
        };

        foreach (var call in calls)
        {
            (await call.Should().ThrowAsync<ConsulUnavailableException>()).Which.Endpoint.Should().EndWith("/v1/kv/k");
        }

        store.Unavailable = false;
        (await store.GetAsync("k")).Value!.Value.Should().Equal(1);
    }

    [Fact]
    public async Task PutAsync_FailureInjectorMatchesEndpoint_ThrowsInjectedExceptionOnlyThere()
    {
        var store = new InMemoryKvStore
        {
            FailureInjector = endpoint => endpoint == "PUT /v1/kv/locked"
                ? new ConsulRequestException("denied", endpoint, 403)
                : null,
        };

        var act = () => store.PutAsync("locked", [1]);

        (await act.Should().ThrowAsync<ConsulRequestException>()).Which.StatusCode.Should().Be(403);
        (await store.PutAsync("open", [1])).Should().BeTrue();
    }

    [Fact]
    public async Task LastIndex_EveryEffectiveWrite_Increases()
    {
        var store = new InMemoryKvStore();
        var initial = store.LastIndex;

        await store.PutAsync("a", [1]);
        var afterPut = store.LastIndex;
        await store.PutAsync("a", [1]);
        var afterIdenticalPut = store.LastIndex;
        await store.DeleteAsync("a");

        initial.Should().BeGreaterThan(0, "Consul never reports index 0");
        afterPut.Should().BeGreaterThan(initial);
        afterIdenticalPut.Should().Be(afterPut);
        store.LastIndex.Should().BeGreaterThan(afterPut);
    }

    [Fact]
    public async Task GetAsync_ReturnedValueMutated_StoreUnaffected()
    {
        var store = new InMemoryKvStore();
        await store.PutAsync("a", [1, 2]);

        (await store.GetAsync("a")).Value!.Value[0] = 99;

        (await store.GetAsync("a")).Value!.Value.Should().Equal(1, 2);
    }
}
