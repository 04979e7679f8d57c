using System.Globalization;

namespace Discovery.WebApp.Settings;

/// <summary>A deliberate fault, so a "bad version" can be shipped in tests and labs: failing health, or a share of 500s.</summary>
/// <param name="FailHealth">/health always answers 503.</param>
/// <param name="ErrorPercent">This share (0-100) of GET / requests answers 500, spread evenly (every n-th request).</param>
internal sealed record FailureMode(bool FailHealth, int ErrorPercent)
{
    public static readonly FailureMode None = new(false, 0);

    /// <summary>Parses none, health or errors:&lt;percent&gt;; null when the text is none of them.</summary>
    public static FailureMode? Parse(string text) => text switch
    {
        "none" => None,
        "health" => new FailureMode(true, 0),
        _ when text.StartsWith("errors:", StringComparison.Ordinal)
               && int.TryParse(text.AsSpan("errors:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
               && percent <= 100 => new FailureMode(false, percent),
        _ => null,
    };

    /// <summary>Whether the request with this sequence number (1, 2, …) fails: spread evenly, e.g. 25 % = every 4th.</summary>
    public bool FailsRequest(long sequence) => ErrorPercent > 0 && sequence * ErrorPercent / 100 != (sequence - 1) * ErrorPercent / 100;
}
