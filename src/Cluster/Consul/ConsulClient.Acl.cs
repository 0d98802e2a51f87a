using System.Text.Json;

namespace HaManager.Cluster.Consul;

public sealed partial class ConsulClient
{
    /// <summary>Consul's built-in anonymous token: what a request without a token acts as.</summary>
    public const string AnonymousTokenAccessorId = "00000000-0000-0000-0000-000000000002";

    /// <summary>
    /// Bootstraps the ACL system and returns the initial management token, or null when the ACL system was
    /// bootstrapped before (Consul allows it once; re-running bootstrap then uses the stored token). Consul may
    /// answer 500 for a while after a leader is elected, until its ACL system is up: that is
    /// <see cref="ConsulUnavailableException"/>, worth retrying.
    /// </summary>
    public async Task<AclToken?> AclBootstrapAsync(CancellationToken ct = default)
    {
        var response = await AclSendAsync(HttpMethod.Put, "v1/acl/bootstrap", "/v1/acl/bootstrap", null, 403, ct).ConfigureAwait(false);
        if (response.StatusCode == 403)
        {
            var body = response.BodyForMessage();
            return body.Contains("bootstrap no longer allowed", StringComparison.OrdinalIgnoreCase)
                ? null
                : throw Rejected(response);
        }

        return ToToken(_transport.Read(response, ConsulJsonContext.Default.AclTokenDto));
    }

    public async Task<AclPolicy> AclPolicyCreateAsync(AclPolicyDefinition policy, CancellationToken ct = default)
    {
        var response = await AclSendAsync(HttpMethod.Put, "v1/acl/policy", "/v1/acl/policy", PolicyBody(policy), null, ct).ConfigureAwait(false);
        return ToPolicy(_transport.Read(response, ConsulJsonContext.Default.AclPolicyDto));
    }

    /// <summary>The policy with this name, or null when there is none.</summary>
    public async Task<AclPolicy?> AclPolicyReadByNameAsync(string name, CancellationToken ct = default)
    {
        ConsulNames.ValidatePolicyName(name, nameof(name));
        var response = await AclSendAsync(HttpMethod.Get, "v1/acl/policy/name/" + name, "/v1/acl/policy/name/" + name, null, 403, ct).ConfigureAwait(false);
        return IsMissing(response) ? null : ToPolicy(_transport.Read(response, ConsulJsonContext.Default.AclPolicyDto));
    }

    public async Task<AclPolicy> AclPolicyUpdateAsync(string id, AclPolicyDefinition policy, CancellationToken ct = default)
    {
        ConsulNames.ValidateUuid(id, "policy id", nameof(id));
        var response = await AclSendAsync(HttpMethod.Put, "v1/acl/policy/" + id, "/v1/acl/policy/" + id, PolicyBody(policy), null, ct).ConfigureAwait(false);
        return ToPolicy(_transport.Read(response, ConsulJsonContext.Default.AclPolicyDto));
    }

    /// <summary>
    /// Creates the policy, or updates the one with the same name when its rules or description differ: running
    /// bootstrap again converges on the rules HaManager ships instead of failing or duplicating.
    /// </summary>
    public async Task<AclPolicy> AclPolicyUpsertAsync(AclPolicyDefinition policy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var existing = await AclPolicyReadByNameAsync(policy.Name, ct).ConfigureAwait(false);
        if (existing is null)
        {
            return await AclPolicyCreateAsync(policy, ct).ConfigureAwait(false);
        }

        return existing.Rules == policy.Rules && existing.Description == policy.Description
            ? existing
            : await AclPolicyUpdateAsync(existing.Id, policy, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes the policy; a policy that does not exist counts as deleted.</summary>
    public async Task AclPolicyDeleteAsync(string id, CancellationToken ct = default)
    {
        ConsulNames.ValidateUuid(id, "policy id", nameof(id));
        var response = await AclSendAsync(HttpMethod.Delete, "v1/acl/policy/" + id, "/v1/acl/policy/" + id, null, 403, ct).ConfigureAwait(false);
        _ = IsMissing(response); // gone already is fine; any other refusal throws
    }

    public async Task<AclToken> AclTokenCreateAsync(AclTokenRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.PolicyNames, nameof(request));
        var links = request.PolicyNames.Select(n => new AclPolicyLinkDto(null, ConsulNames.ValidatePolicyName(n, nameof(request)))).ToList();
        if (request.SecretId is not null)
        {
            ConsulNames.ValidateUuid(request.SecretId, "token secret", nameof(request));
        }

        if (request.ExpirationTtl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), ttl, "a token's ExpirationTtl must be positive");
        }

        var dto = new AclTokenWriteDto(request.SecretId, request.Description, links, request.Local,
            request.ExpirationTtl is { } t ? GoDuration.Format(t) : null);
        var body = JsonSerializer.SerializeToUtf8Bytes(dto, ConsulJsonContext.Default.AclTokenWriteDto);
        var response = await AclSendAsync(HttpMethod.Put, "v1/acl/token", "/v1/acl/token", body, null, ct).ConfigureAwait(false);
        return ToToken(_transport.Read(response, ConsulJsonContext.Default.AclTokenDto));
    }

    /// <summary>The token with this accessor id, or null when Consul does not know it (never made, deleted or expired).</summary>
    public async Task<AclToken?> AclTokenReadAsync(string accessorId, CancellationToken ct = default)
    {
        ConsulNames.ValidateUuid(accessorId, "token accessor id", nameof(accessorId));
        var response = await AclSendAsync(HttpMethod.Get, "v1/acl/token/" + accessorId, "/v1/acl/token/" + accessorId, null, 403, ct).ConfigureAwait(false);
        return IsMissing(response) ? null : ToToken(_transport.Read(response, ConsulJsonContext.Default.AclTokenDto));
    }

    /// <summary>The token this client sends (needs no ACL permission: any valid token may read itself).</summary>
    public async Task<AclToken> AclTokenReadSelfAsync(CancellationToken ct = default)
    {
        var response = await AclSendAsync(HttpMethod.Get, "v1/acl/token/self", "/v1/acl/token/self", null, null, ct).ConfigureAwait(false);
        return ToToken(_transport.Read(response, ConsulJsonContext.Default.AclTokenDto));
    }

    /// <summary>Deletes the token; one that does not exist (any more) counts as deleted.</summary>
    public async Task AclTokenDeleteAsync(string accessorId, CancellationToken ct = default)
    {
        ConsulNames.ValidateUuid(accessorId, "token accessor id", nameof(accessorId));
        var response = await AclSendAsync(HttpMethod.Delete, "v1/acl/token/" + accessorId, "/v1/acl/token/" + accessorId, null, 403, ct).ConfigureAwait(false);
        _ = IsMissing(response); // gone already is fine; any other refusal throws
    }

    private static byte[] PolicyBody(AclPolicyDefinition policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ConsulNames.ValidatePolicyName(policy.Name, nameof(policy));
        ArgumentNullException.ThrowIfNull(policy.Rules, nameof(policy));
        return JsonSerializer.SerializeToUtf8Bytes(
            new AclPolicyWriteDto(policy.Name, policy.Description ?? string.Empty, policy.Rules), ConsulJsonContext.Default.AclPolicyWriteDto);
    }

    /// <summary>
    /// Consul 1.8 reports invalid ACL requests (bad rules, duplicate names, a TTL out of range) as HTTP 500. Those
    /// are the caller's mistakes and retrying cannot fix them, so they become <see cref="ConsulRequestException"/>;
    /// other 500s (no leader, RPC failures) stay <see cref="ConsulUnavailableException"/>.
    /// </summary>
    private async Task<ConsulResponse> AclSendAsync(HttpMethod method, string path, string display, byte[]? body, int? accept, CancellationToken ct)
    {
        try
        {
            return await _transport.SendAsync(method, path, display, null, body, null, accept, ct).ConfigureAwait(false);
        }
        catch (ConsulUnavailableException e) when (e.StatusCode == 500 && IsInvalidRequest(e.ResponseBody))
        {
            throw new ConsulRequestException(
                $"Consul at {_transport.AddressText} rejected {e.Endpoint}: {e.ResponseBody}", e.Endpoint, e.StatusCode, e.ResponseBody, e);
        }
    }

    private static bool IsInvalidRequest(string? body) =>
        body is not null
        && (WithoutForwardingPrefix(body).StartsWith("Invalid", StringComparison.Ordinal)
            || body.Contains("already exists", StringComparison.Ordinal)
            || body.Contains("cannot be", StringComparison.Ordinal)
            || body.Contains("must ", StringComparison.Ordinal));

    /// <summary>A follower forwarding to the leader prefixes the leader's error with this.</summary>
    private static string WithoutForwardingPrefix(string body) =>
        body.StartsWith("rpc error making call: ", StringComparison.Ordinal) ? body["rpc error making call: ".Length..] : body;

    /// <summary>Consul answers an unknown policy or token with 403 "ACL not found" (it does not tell them apart from a bad token).</summary>
    private static bool IsAclNotFound(ConsulResponse response) =>
        response.StatusCode == 403 && response.BodyForMessage().Contains("ACL not found", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for "ACL not found"; throws for any other 403 (permission denied is not absence).</summary>
    private bool IsMissing(ConsulResponse response) =>
        response.StatusCode == 403 && (IsAclNotFound(response) ? true : throw Rejected(response));

    private ConsulRequestException Rejected(ConsulResponse response) =>
        new($"Consul at {_transport.AddressText} rejected {response.Endpoint} with HTTP {response.StatusCode}: {response.BodyForMessage()}",
            response.Endpoint, response.StatusCode, response.BodyForMessage());

    private static AclPolicy ToPolicy(AclPolicyDto dto) =>
        new(dto.Id, dto.Name, dto.Description ?? string.Empty, dto.Rules ?? string.Empty, dto.ModifyIndex);

    private static AclToken ToToken(AclTokenDto dto) => new()
    {
        AccessorId = dto.AccessorId,
        SecretId = dto.SecretId,
        Description = dto.Description ?? string.Empty,
        PolicyNames = (dto.Policies ?? []).Select(p => p.Name ?? p.Id ?? string.Empty).ToList(),
        Local = dto.Local,
        ExpirationTime = dto.ExpirationTime,
    };
}
