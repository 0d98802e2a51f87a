namespace HaManager.Cluster.Json;

public sealed class KvValueException(KvValueError error) : Exception(error.ToString())
{
    public KvValueError Error { get; } = error;
}
