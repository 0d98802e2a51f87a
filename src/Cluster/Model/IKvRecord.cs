namespace HaManager.Cluster.Model;

/// <summary>A value stored under a KV key. Parsing enforces types; Validate checks the ranges and cross-field rules.</summary>
public interface IKvRecord
{
    IEnumerable<string> Validate();
}
