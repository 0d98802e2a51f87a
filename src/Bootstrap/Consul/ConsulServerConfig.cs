using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HaManager.Cluster.Model;
using HaManager.Cluster.Settings;

namespace HaManager.Bootstrap.Consul;

/// <summary>
/// The Consul server agent configuration for one node. The first node bootstraps a one-server Raft
/// cluster; later nodes only retry_join (growing a cluster works as designed: they become voters
/// once autopilot's stabilization time has passed). Always secured (docs/security.md): gossip encryption, mutual
/// TLS on RPC with verify_server_hostname, ACLs with default deny (the node's token is the agent's), plain HTTP on
/// 127.0.0.1 only and HTTPS on the node address. The file holds the gossip key and a token: write it 0600.
/// </summary>
public static class ConsulServerConfig
{
    public static string Render(NodeName node, IPAddress address, ConsulOptions consul, IReadOnlyList<IPAddress> join, ConsulCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var files = ConsulSecretFiles.Of(consul);
        var config = new JsonObject
        {
            ["datacenter"] = consul.Datacenter,
            ["node_name"] = node.Value,
            ["data_dir"] = consul.DataDir,
            ["server"] = true,
            ["bind_addr"] = address.ToString(),
            ["advertise_addr"] = address.ToString(),
            ["client_addr"] = "127.0.0.1",
            ["ports"] = new JsonObject { ["http"] = consul.HttpPort, ["https"] = consul.HttpsPort, ["dns"] = -1 },
            ["addresses"] = new JsonObject { ["http"] = "127.0.0.1", ["https"] = address.ToString() },
            ["encrypt"] = credentials.GossipKey.Key,
            ["ca_file"] = files.CaCertificate,
            ["cert_file"] = files.ServerCertificate,
            ["key_file"] = files.ServerKey,
            ["verify_incoming_rpc"] = true,
            // A joining node has no client certificate until it has redeemed its join token over HTTPS; every HTTPS
            // request is still authorized by its ACL token.
            ["verify_incoming_https"] = false,
            ["verify_outgoing"] = true,
            ["verify_server_hostname"] = true,
            ["acl"] = new JsonObject
            {
                ["enabled"] = true,
                ["default_policy"] = "deny",
                // A server cut off from the leader keeps answering with the ACLs it knew: an election must not lock the
                // watchers and hooks out of their own node.
                ["down_policy"] = "extend-cache",
                ["tokens"] = new JsonObject { ["agent"] = credentials.NodeToken },
            },
            ["disable_update_check"] = true,
            ["leave_on_terminate"] = false,
            ["skip_leave_on_interrupt"] = true,
            ["performance"] = new JsonObject { ["raft_multiplier"] = 1 },
            ["autopilot"] = new JsonObject
            {
                // The membership is fixed (3 or 5 managers). Removing a partitioned server makes it come back as a
                // non-voter with a newer term that autopilot may never promote again (hashicorp/raft#524), leaving
                // the cluster one failure away from losing quorum. A dead server simply stays a voter until it returns.
                ["cleanup_dead_servers"] = false,
                ["server_stabilization_time"] = consul.ServerStabilizationTime,
            },
        };
        if (join.Count == 0) config["bootstrap_expect"] = 1;
        else config["retry_join"] = new JsonArray(join.Select(a => (JsonNode)a.ToString()).ToArray());
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
