namespace HaManager.Cluster.Settings;

public sealed class SettingsException(string message, Exception? inner = null) : Exception(message, inner);
