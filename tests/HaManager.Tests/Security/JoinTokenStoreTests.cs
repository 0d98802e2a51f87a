using System.Net;
using HaManager.Cluster;
using HaManager.Cluster.Consul;
using HaManager.Cluster.Json;
using HaManager.Cluster.Model;
using HaManager.Cluster.Security;
using HaManager.Tests.Support;

namespace HaManager.Tests.Security;

public sealed class JoinTokenStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryKvStore _kv = new();
    private readonly KvKeys _keys = new();
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly CertificateAuthority _ca = CertificateAuthority.Create(Start);
    private readonly JoinTokenStore _store;

    public JoinTokenStoreTests() => _store = new JoinTokenStore(_kv, _keys, _clock);

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task Redeem_FreshToken_ReturnsThePayloadItWasCreatedWith()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        var payload = Payload("n2");
        await _store.CreateAsync(secret, payload, TimeSpan.FromHours(1));

        var redeemed = await _store.RedeemAsync(JoinSecret.Parse(secret.Reveal()));

        redeemed.Node.Should().Be(payload.Node);
        redeemed.Address.Should().Be(payload.Address);
        redeemed.GossipKey.Key.Should().Be(payload.GossipKey.Key);
        redeemed.NodeAclToken.Should().Be(payload.NodeAclToken);
        redeemed.ServerCertificate.Should().Be(payload.ServerCertificate);
        redeemed.CaCertificatePem.Should().Be(_ca.CertificatePem);
    }

    [Fact]
    public async Task Create_StoredRecord_HoldsOnlyTheHashAndTheSealedPayload()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        var payload = Payload("n2");
        await _store.CreateAsync(secret, payload, TimeSpan.FromMinutes(30));

        var entry = (await _kv.GetAsync(_keys.JoinToken(secret.Id))).Value!;
        var stored = System.Text.Encoding.UTF8.GetString(entry.Value);

        KvJson.Parse<JoinTokenRecord>(entry).SecretSha256.Should().Be(secret.SecretSha256);
        stored.Should().NotContain(secret.Reveal().Split('.')[2]);
        stored.Should().NotContain("is_used");
        stored.Should().NotContain(payload.GossipKey.Key).And.NotContain(payload.NodeAclToken).And.NotContain("PRIVATE KEY");
        stored.Should().Contain("\"expires_at\":\"2026-03-01T12:30:00+00:00\"");
    }

    [Fact]
    public async Task Redeem_Twice_SecondIsRefusedAndThePayloadIsGone()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        await _store.CreateAsync(secret, Payload("n2"), TimeSpan.FromHours(1));
        await _store.RedeemAsync(secret);

        var again = () => _store.RedeemAsync(secret);

        (await again.Should().ThrowAsync<JoinTokenException>()).Which.Reason.Should().Be(JoinTokenRefusal.AlreadyUsed);
        var record = KvJson.Parse<JoinTokenRecord>((await _kv.GetAsync(_keys.JoinToken(secret.Id))).Value!);
        record.Payload.Should().BeNull();
        record.UsedAt.Should().Be(Start);
    }

    [Fact]
    public async Task Redeem_AfterExpiry_IsRefusedAndLeavesTheRecordUnused()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        await _store.CreateAsync(secret, Payload("n2"), TimeSpan.FromMinutes(10));
        _clock.Advance(TimeSpan.FromMinutes(10));

        var redeem = () => _store.RedeemAsync(secret);

        var error = (await redeem.Should().ThrowAsync<JoinTokenException>()).Which;
        error.Reason.Should().Be(JoinTokenRefusal.Expired);
        error.Message.Should().Contain(secret.Id.Value).And.Contain("expired at 2026-03-01T12:10:00");
        KvJson.Parse<JoinTokenRecord>((await _kv.GetAsync(_keys.JoinToken(secret.Id))).Value!).IsUsed.Should().BeFalse();
    }

    [Fact]
    public async Task Redeem_JustBeforeExpiry_Succeeds()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        await _store.CreateAsync(secret, Payload("n2"), TimeSpan.FromMinutes(10));
        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        (await _store.RedeemAsync(secret)).Node.Value.Should().Be("n2");
    }

    [Fact]
    public async Task Redeem_WrongSecretForAnExistingId_IsRefusedWithoutConsumingIt()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        await _store.CreateAsync(secret, Payload("n2"), TimeSpan.FromHours(1));
        var parts = secret.Reveal().Split('.');
        var forged = JoinSecret.Parse($"{parts[0]}.{parts[1]}.{JoinSecret.Create(_ca.PublicKeyPin).Reveal().Split('.')[2]}.{parts[3]}");

        var redeem = () => _store.RedeemAsync(forged);

        (await redeem.Should().ThrowAsync<JoinTokenException>()).Which.Reason.Should().Be(JoinTokenRefusal.WrongSecret);
        (await _store.RedeemAsync(secret)).Node.Value.Should().Be("n2");
    }

    [Fact]
    public async Task Redeem_UnknownId_IsNotFound()
    {
        var redeem = () => _store.RedeemAsync(JoinSecret.Create(_ca.PublicKeyPin));

        (await redeem.Should().ThrowAsync<JoinTokenException>()).Which.Reason.Should().Be(JoinTokenRefusal.NotFound);
    }

    [Fact]
    public async Task Redeem_RecordWithStretchedExpiry_DoesNotOpen()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        var record = await _store.CreateAsync(secret, Payload("n2"), TimeSpan.FromMinutes(5));
        await _kv.PutAsync(_keys.JoinToken(secret.Id), KvJson.Serialize(record with { ExpiresAt = record.ExpiresAt.AddDays(30) }));

        var redeem = () => _store.RedeemAsync(secret);

        (await redeem.Should().ThrowAsync<JoinTokenException>()).Which.Reason.Should().Be(JoinTokenRefusal.Invalid);
    }

    [Fact]
    public async Task Redeem_RecordPointedAtAnotherNode_DoesNotOpen()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        var record = await _store.CreateAsync(secret, Payload("n2"), TimeSpan.FromMinutes(5));
        await _kv.PutAsync(_keys.JoinToken(secret.Id), KvJson.Serialize(record with { Node = NodeName.Parse("n9") }));

        var redeem = () => _store.RedeemAsync(secret);

        (await redeem.Should().ThrowAsync<JoinTokenException>()).Which.Reason.Should().Be(JoinTokenRefusal.Invalid);
    }

    [Fact]
    public async Task Redeem_ConcurrentRedeemers_ExactlyOneGetsThePayload()
    {
        var secret = JoinSecret.Create(_ca.PublicKeyPin);
        await _store.CreateAsync(secret, Payload("n2"), TimeSpan.FromHours(1));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                return await _store.RedeemAsync(secret);
            }
            catch (JoinTokenException)
            {
                return null;
            }
        }));

        attempts.OfType<JoinPayload>().Should().ContainSingle();
    }

    [Theory]
    [InlineData(59)]
    [InlineData(24 * 3600 + 1)]
    public async Task Create_TtlOutsideConsulLimits_IsRefused(int seconds)
    {
        var create = () => _store.CreateAsync(JoinSecret.Create(_ca.PublicKeyPin), Payload("n2"), TimeSpan.FromSeconds(seconds));

        await create.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Sweep_UsedExpiredAndDamaged_RemovesThemAndKeepsTheLiveOne()
    {
        var used = JoinSecret.Create(_ca.PublicKeyPin);
        var expiring = JoinSecret.Create(_ca.PublicKeyPin);
        var live = JoinSecret.Create(_ca.PublicKeyPin);
        var nodeAccessor = Guid.NewGuid().ToString("D");
        await _store.CreateAsync(used, Payload("n2"), TimeSpan.FromHours(2), Guid.NewGuid().ToString("D"), Guid.NewGuid().ToString("D"));
        await _store.CreateAsync(expiring, Payload("n3"), TimeSpan.FromMinutes(5), null, nodeAccessor);
        await _store.CreateAsync(live, Payload("n4"), TimeSpan.FromHours(2));
        await _store.RedeemAsync(used);
        var garbage = JoinTokenId.New();
        await _kv.PutAsync(_keys.JoinToken(garbage), "{}"u8.ToArray());
        _clock.Advance(TimeSpan.FromMinutes(5));

        var swept = await _store.SweepAsync();

        swept.Select(s => s.Id).Should().BeEquivalentTo([used.Id, expiring.Id, garbage]);
        swept.Single(s => s.Id == expiring.Id).NodeTokenAccessor.Should().Be(nodeAccessor, "an unused token's node token was never handed out");
        swept.Single(s => s.Id == used.Id).NodeTokenAccessor.Should().BeNull("a used token's node token now belongs to its node");
        (await _store.ListAsync()).Select(r => r.Id).Should().Equal(live.Id.Value);
    }

    [Fact]
    public void Payload_ToString_HidesTheSecrets()
    {
        var payload = Payload("n2");

        payload.ToString().Should().NotContain(payload.NodeAclToken).And.NotContain(payload.GossipKey.Key).And.NotContain("PRIVATE KEY");
    }

    private JoinPayload Payload(string node) => new()
    {
        Node = NodeName.Parse(node),
        Address = IPAddress.Parse("10.231.0.12"),
        Datacenter = "dc1",
        GossipKey = GossipKey.Generate(),
        CaCertificatePem = _ca.CertificatePem,
        ServerCertificate = _ca.IssueServer(NodeName.Parse(node), IPAddress.Parse("10.231.0.12"), "dc1", Start),
        NodeAclToken = Guid.NewGuid().ToString("D"),
    };
}
