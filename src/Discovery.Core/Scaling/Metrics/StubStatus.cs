namespace Discovery.Core.Scaling.Metrics;

/// <summary>One nginx <c>stub_status</c> page. Accepts, handled and requests are counters since nginx started.</summary>
internal sealed record StubStatus(
    long Active,
    long Accepts,
    long Handled,
    long Requests,
    long Reading,
    long Writing,
    long Waiting);
