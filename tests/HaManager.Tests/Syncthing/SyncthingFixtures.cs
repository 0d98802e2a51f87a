using HaManager.Cluster.Model;
using HaManager.Watchers.Syncthing;

namespace HaManager.Tests.Syncthing;

/// <summary>Device IDs printed by syncthing 1.19.2 (`syncthing generate` then `syncthing serve --device-id`), and peers built from them.</summary>
internal static class SyncthingFixtures
{
    public const string Self = "BQ4CZRQ-TYB62C4-BY7UEOR-Y3ZX2EG-7A4V7V6-7HGVTCC-GLAYK62-WLOXOQ3";
    public const string N2 = "QY2OF5E-NS5AP2G-DA27CX5-76GVHGE-4UONDB2-Q2B4Y4O-WT3FONH-E2PLNQ2";
    public const string N3 = "IWQNTZB-C5HLMTV-HFT5ENE-KNU74MR-KOPKJHS-F5HEADS-NS7T4ED-KF6LWAT";
    public const string N4 = "HLD4W7J-SXUJCY7-BDA7FS4-XJOEVQB-5THQSJ6-5PQOOLS-GMK3EHG-PYR44A3";

    public static readonly string[] RealDeviceIds =
    [
        Self, N2, N3, N4,
        "FKAVNGP-V4SIKEI-JBLBA5W-Q4SMNCN-TYQLMUS-BD6HF57-LGR53ZG-BNTAVQY",
        "NYGR644-FTWX3MC-TJHMLOX-L4HTP2T-DQHY4MR-WCLTKLI-OEVWXHI-W2UKXQC",
        "56HTHE6-YBPUCSR-CY4YNST-ZL6LPCV-DARDBKB-UQG33FU-TC4SJSX-7ASNDQ4",
        "QHCND4N-WNHVO6G-OVJRD2I-44NZVL5-FPAK3M7-YQGEBSS-GOEKVB4-ZJOLDQ2",
    ];

    /// <summary>The device ID of node nN in these tests (n1 is <see cref="Self"/>).</summary>
    public static string IdOf(string node) => node switch
    {
        "n1" => Self,
        "n2" => N2,
        "n3" => N3,
        "n4" => N4,
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "no fixture device ID"),
    };

    /// <summary>nN listens on 10.231.0.(10+N):22000, like the lab.</summary>
    public static SyncthingPeer Peer(string node, string? address = null) =>
        new(NodeName.Parse(node), SyncthingDeviceId.Parse(IdOf(node)), SyncthingAddress.Parse(address ?? AddressOf(node)));

    public static string AddressOf(string node) => $"tcp://10.231.0.{10 + int.Parse(node[1..], System.Globalization.CultureInfo.InvariantCulture)}:22000";

    public static FolderCompletion Complete { get; } = new(100, 0, 0, 0, 4096, GlobalItems: 3, Sequence: 7);

    public static FolderCompletion Partial(double percent) => new(percent, 1024, 3, 0, 4096, GlobalItems: 3, Sequence: 2);

    /// <summary>What syncthing 1.19 answers for a peer that has never announced a file: 100 %, nothing needed, sequence 0.</summary>
    public static FolderCompletion NothingAnnounced { get; } = new(100, 0, 0, 0, 4096, GlobalItems: 3, Sequence: 0);
}
