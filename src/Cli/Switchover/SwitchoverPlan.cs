using System.Net;
using HaManager.Cluster.Model;

namespace HaManager.Cli.Switchover;

/// <summary>What an accepted switchover moves, with the facts its steps need.</summary>
/// <param name="By">Who asked (host and user), for the record and history.</param>
public sealed record SwitchoverPlan(NodeName From, NodeName To, IPAddress ToAddress, string Database, string By);
