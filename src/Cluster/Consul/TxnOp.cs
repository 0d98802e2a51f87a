namespace HaManager.Cluster.Consul;

/// <summary>One KV operation of a /v1/txn transaction; build it with the static factories.</summary>
/// <param name="Verb">Consul's KV verb, e.g. "set", "cas", "check-index".</param>
/// <param name="Index">ModifyIndex for cas, delete-cas and check-index.</param>
/// <param name="Session">Session for lock, unlock and check-session.</param>
public sealed record TxnOp(string Verb, string Key, byte[]? Value = null, ulong Index = 0, string? Session = null)
{
    public static TxnOp Set(string key, byte[] value) => new("set", key, value);

    /// <summary>index 0 creates only, like PutAsync with cas 0.</summary>
    public static TxnOp Cas(string key, byte[] value, ulong index) => new("cas", key, value, index);

    /// <summary>Fails (rolls back) the transaction when the key is missing.</summary>
    public static TxnOp Get(string key) => new("get", key);

    public static TxnOp GetTree(string prefix) => new("get-tree", prefix);

    public static TxnOp Delete(string key) => new("delete", key);

    public static TxnOp DeleteTree(string prefix) => new("delete-tree", prefix);

    public static TxnOp DeleteCas(string key, ulong index) => new("delete-cas", key, null, index);

    public static TxnOp CheckIndex(string key, ulong index) => new("check-index", key, null, index);

    public static TxnOp CheckNotExists(string key) => new("check-not-exists", key);

    public static TxnOp CheckSession(string key, string sessionId) => new("check-session", key, null, 0, sessionId);

    public static TxnOp Lock(string key, byte[] value, string sessionId) => new("lock", key, value, 0, sessionId);

    public static TxnOp Unlock(string key, byte[] value, string sessionId) => new("unlock", key, value, 0, sessionId);
}
