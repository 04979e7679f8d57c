namespace Discovery.Core.Rendering.Catalog;

/// <summary>What <see cref="EmptyAnswerGuard"/> decided: use the answer, or keep the last value for now.</summary>
/// <param name="Trusted">True: the answer replaces the value in use.</param>
/// <param name="Reason">Why an empty answer is held back.</param>
/// <param name="RetryAfter">When a held answer that is still the latest becomes trusted; null: only a new answer decides.</param>
internal sealed record EmptyAnswerVerdict(bool Trusted, string? Reason, TimeSpan? RetryAfter)
{
    public static EmptyAnswerVerdict Trust() => new(true, null, null);

    public static EmptyAnswerVerdict Hold(string reason, TimeSpan? retryAfter) => new(false, reason, retryAfter);
}
