using System.Globalization;

namespace HaManager.Cluster.Consul;

/// <summary>
/// Consul HTTP API client (KV, transactions, sessions, status, agent, raft) over System.Net.Http.
/// Thread-safe; one instance per agent address is meant to be shared.
/// </summary>
public sealed partial class ConsulClient : IKvStore, IDisposable
{
    private readonly ConsulTransport _transport;

    public ConsulClient(ConsulClientOptions options, HttpMessageHandler? handler = null)
    {
        _transport = new ConsulTransport(options, handler);
        Options = options;
    }

    public Uri Address => Options.Address;

    public ConsulClientOptions Options { get; }

    public async Task<QueryResult<KvEntry?>> GetAsync(string key, QueryOptions? options = null, CancellationToken ct = default)
    {
        KvKey.ValidateKey(key, nameof(key));
        var response = await SendKvAsync(HttpMethod.Get, key, null, null, options, ct).ConfigureAwait(false);
        if (response.StatusCode == 404)
        {
            return response.ToResult<KvEntry?>(null);
        }

        var entries = _transport.Read(response, ConsulJsonContext.Default.ListKvEntryDto);
        return response.ToResult(entries.Count == 0 ? null : entries[0].ToEntry());
    }

    public async Task<QueryResult<IReadOnlyList<KvEntry>>> ListAsync(string prefix, QueryOptions? options = null, CancellationToken ct = default)
    {
        KvKey.ValidatePrefix(prefix, nameof(prefix));
        var response = await SendKvAsync(HttpMethod.Get, prefix, ["recurse"], null, options, ct).ConfigureAwait(false);
        if (response.StatusCode == 404)
        {
            return response.ToResult<IReadOnlyList<KvEntry>>([]);
        }

        var entries = _transport.Read(response, ConsulJsonContext.Default.ListKvEntryDto)
            .Select(e => e.ToEntry())
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        return response.ToResult<IReadOnlyList<KvEntry>>(entries);
    }

    /// <summary>
    /// Key names under <paramref name="prefix"/>; with a separator, names are cut after the first separator past the
    /// prefix (one "folder" level), like Consul's ?keys&amp;separator=.
    /// </summary>
    public async Task<QueryResult<IReadOnlyList<string>>> KeysAsync(string prefix, string? separator = null, QueryOptions? options = null, CancellationToken ct = default)
    {
        KvKey.ValidatePrefix(prefix, nameof(prefix));
        List<string> parameters = ["keys"];
        if (!string.IsNullOrEmpty(separator))
        {
            parameters.Add("separator=" + Uri.EscapeDataString(separator));
        }

        var response = await SendKvAsync(HttpMethod.Get, prefix, parameters, null, options, ct).ConfigureAwait(false);
        if (response.StatusCode == 404)
        {
            return response.ToResult<IReadOnlyList<string>>([]);
        }

        return response.ToResult<IReadOnlyList<string>>(_transport.Read(response, ConsulJsonContext.Default.ListString));
    }

    public async Task<bool> PutAsync(string key, byte[] value, ulong? cas = null, CancellationToken ct = default)
    {
        KvKey.ValidateKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        var parameters = cas is { } index ? new[] { "cas=" + index.ToString(CultureInfo.InvariantCulture) } : null;
        return await WriteKvAsync(HttpMethod.Put, key, parameters, value, ct).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string key, ulong? cas = null, CancellationToken ct = default)
    {
        KvKey.ValidateKey(key, nameof(key));
        var parameters = cas is { } index ? new[] { "cas=" + index.ToString(CultureInfo.InvariantCulture) } : null;
        return await WriteKvAsync(HttpMethod.Delete, key, parameters, null, ct).ConfigureAwait(false);
    }

    public async Task<bool> DeleteTreeAsync(string prefix, CancellationToken ct = default)
    {
        // An empty prefix would wipe the whole KV store, including other products' data.
        KvKey.ValidateKey(prefix, nameof(prefix));
        return await WriteKvAsync(HttpMethod.Delete, prefix, ["recurse"], null, ct).ConfigureAwait(false);
    }

    public void Dispose() => _transport.Dispose();

    private async Task<bool> WriteKvAsync(HttpMethod method, string key, IReadOnlyList<string>? parameters, byte[]? body, CancellationToken ct)
    {
        var response = await SendKvAsync(method, key, parameters, body, null, ct).ConfigureAwait(false);
        return _transport.Read(response, ConsulJsonContext.Default.Boolean);
    }

    private Task<ConsulResponse> SendKvAsync(
        HttpMethod method, string key, IReadOnlyList<string>? parameters, byte[]? body, QueryOptions? options, CancellationToken ct)
    {
        // Reads answer 404 for a missing key or empty prefix; that is data, not an error.
        var accept = method == HttpMethod.Get ? 404 : (int?)null;
        return _transport.SendAsync(method, "v1/kv/" + KvKey.EncodePath(key), "/v1/kv/" + key, parameters, body, options, accept, ct);
    }
}
