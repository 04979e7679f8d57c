using Discovery.Consul.Durations;
using Discovery.Core.NodeAgent.Configuration;

namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>
/// Pure restart policy for one instance: remembers recent exits and decides each backoff.
/// * Backoff = initialBackoff × 2^(exits within the window − 1), capped at maxBackoff, ±20% jitter
///   so instances that crashed together do not restart in lockstep.
/// * More than maxRestarts exits within the window = crash loop. The state is sticky: it lasts
///   until a run stays up for a whole window, and meanwhile every retry waits maxBackoff. (Without
///   the latch, the long waits would thin the window out and the instance would flap between
///   hammering and crash-looping.)
/// </summary>
public sealed class RestartHistory
{
    private const double Jitter = 0.2;
    private const int MaxLogLineLength = 200;

    private readonly RestartPolicyConfig _policy;
    private readonly List<DateTimeOffset> _exitsInWindow = [];
    private DateTimeOffset? _firstExitSinceStable;
    private int _exitsSinceStable;

    public RestartHistory(RestartPolicyConfig policy)
    {
        _policy = policy;
    }

    public string? CrashLoopReason { get; private set; }

    /// <summary>Records an exit and decides the delay before the next start.</summary>
    /// <param name="at">When the process exited.</param>
    /// <param name="ranFor">How long that run lasted.</param>
    /// <param name="exitCode">Null when unknown.</param>
    /// <param name="lastLogLine">Last line of the instance log, for the reason text.</param>
    /// <param name="jitterSample">A uniform sample in [0, 1); 0.5 means no jitter.</param>
    public RestartDecision RecordExit(DateTimeOffset at, TimeSpan ranFor, int? exitCode, string? lastLogLine, double jitterSample)
    {
        if (ranFor >= _policy.Window)
        {
            _exitsInWindow.Clear();
            _exitsSinceStable = 0;
            _firstExitSinceStable = null;
            CrashLoopReason = null;
        }

        _exitsInWindow.RemoveAll(exit => exit <= at - _policy.Window);
        _exitsInWindow.Add(at);
        _firstExitSinceStable ??= at;
        _exitsSinceStable++;

        var wasCrashLooping = CrashLoopReason is not null;
        if (wasCrashLooping || _exitsInWindow.Count > _policy.MaxRestarts)
        {
            CrashLoopReason = DescribeCrashLoop(at, exitCode, lastLogLine);
        }

        var baseDelay = CrashLoopReason is not null
            ? _policy.MaxBackoff
            : TimeSpan.FromTicks((long)Math.Min(_policy.MaxBackoff.Ticks, _policy.InitialBackoff.Ticks * Math.Pow(2, _exitsInWindow.Count - 1)));
        var jittered = TimeSpan.FromTicks((long)(baseDelay.Ticks * (1 - Jitter + (2 * Jitter * Math.Clamp(jitterSample, 0, 1)))));
        return new RestartDecision(jittered, CrashLoopReason, CrashLoopStarted: !wasCrashLooping && CrashLoopReason is not null);
    }

    private string DescribeCrashLoop(DateTimeOffset at, int? exitCode, string? lastLogLine)
    {
        var span = TimeSpan.FromMilliseconds(Math.Round((at - _firstExitSinceStable!.Value).TotalMilliseconds));
        var line = string.IsNullOrWhiteSpace(lastLogLine) ? "(no output)" : lastLogLine.Trim();
        if (line.Length > MaxLogLineLength)
        {
            line = line[..MaxLogLineLength] + "…";
        }

        return $"exited {_exitsSinceStable} times in {GoDuration.Format(span)}; last exit code {DescribeExitCode(exitCode)}; last log line: {line}";
    }

    private static string DescribeExitCode(int? exitCode) => exitCode switch
    {
        null => "unknown",
        > 128 and < 160 => $"{exitCode} (signal {exitCode - 128})",
        _ => $"{exitCode}",
    };
}
