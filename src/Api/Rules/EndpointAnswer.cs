namespace HaManager.Api.Rules;

/// <summary>An HTTP status (200 or 503) and the body that says why.</summary>
public sealed record EndpointAnswer(int StatusCode, EndpointBody Body)
{
    public const int Yes = 200;
    public const int No = 503;
}
