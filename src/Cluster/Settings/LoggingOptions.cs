namespace HaManager.Cluster.Settings;

public sealed class LoggingOptions
{
    public const string Plain = "plain";
    public const string Json = "json";

    /// <summary>plain: one readable line per event; json: one compact JSON object per event (CLEF), for log shippers.</summary>
    public string Format { get; set; } = Plain;
}
