namespace HaManager.Cli.Nodes;

/// <summary>An unsafe `node` request, refused before anything was changed (exit code <see cref="ExitCodes.Refused"/>).</summary>
public sealed class NodeRequestRefusedException(string message) : Exception(message);
