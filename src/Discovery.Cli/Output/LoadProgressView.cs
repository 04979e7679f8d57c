using System.Globalization;
using Discovery.Core.Load;

namespace Discovery.Cli.Output;

/// <summary>The one-line progress and the summary of `agent load`.</summary>
internal static class LoadProgressView
{
    public static string Line(LoadSnapshot snapshot) => string.Create(CultureInfo.InvariantCulture,
        $"{snapshot.Elapsed.TotalSeconds,6:F1}s  sent {snapshot.Sent}/{snapshot.Planned}  ok {snapshot.Ok}  failed {snapshot.Failed}  p50 {Ms(snapshot.P50)}  p99 {Ms(snapshot.P99)}");

    public static string Summary(LoadSnapshot snapshot)
    {
        var failures = snapshot.FailuresByReason.Count == 0
            ? ""
            : "\nfailures: " + string.Join(", ", snapshot.FailuresByReason.Select(pair => $"{pair.Key}×{pair.Value}"));
        var rate = snapshot.Elapsed > TimeSpan.Zero ? snapshot.Sent / snapshot.Elapsed.TotalMinutes : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"done in {snapshot.Elapsed.TotalSeconds:F1}s: sent {snapshot.Sent} ({rate:F0}/min), ok {snapshot.Ok}, failed {snapshot.Failed}, p50 {Ms(snapshot.P50)}, p99 {Ms(snapshot.P99)}, keep-alive losses hidden by HttpClient {snapshot.KeepAliveLosses}{failures}");
    }

    private static string Ms(TimeSpan? latency) =>
        latency is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:F1}ms") : "-";
}
