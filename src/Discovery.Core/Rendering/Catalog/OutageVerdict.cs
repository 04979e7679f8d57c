namespace Discovery.Core.Rendering.Catalog;

/// <summary>What <see cref="OutageGuard"/> decided: use the answer, or keep the value in use for now.</summary>
/// <param name="Trusted">True: the answer replaces the value in use.</param>
/// <param name="Reason">Why an answer is held back.</param>
/// <param name="RetryAfter">When a held answer that is still the latest is used; null: only a new answer decides.</param>
internal sealed record OutageVerdict(bool Trusted, string? Reason, TimeSpan? RetryAfter)
{
    public static OutageVerdict Trust() => new(true, null, null);

    public static OutageVerdict Hold(string reason, TimeSpan? retryAfter) => new(false, reason, retryAfter);
}
