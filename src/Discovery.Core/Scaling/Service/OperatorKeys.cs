using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Service;

/// <summary>
/// Decodes one app's operator keys (policy, desired, hold, autoscale) from a snapshot. Garbage never
/// wins: an invalid value is logged and the last valid one (or a safe default) stays in force. The
/// memory survives across terms on purpose, so a garbage KV value keeps what this process last knew.
/// </summary>
internal sealed partial class OperatorKeys(ScalerKeys keys, ScalingPolicy configPolicy, ILogger logger)
{
    private readonly ScalingPolicy _configPolicy = configPolicy;
    private ScalingPolicy _policy = configPolicy;
    private string? _rejectedPolicyText;
    private bool _paused;
    private int? _lastKnownCount;
    private string? _clampedHoldText;

    /// <summary>The policy in force after the last <see cref="Decode"/>.</summary>
    public ScalingPolicy Policy => _policy;

    public OperatorView Decode(AppSnapshot snapshot)
    {
        var policy = DecodePolicy(snapshot.PolicyText);
        return new OperatorView(policy, DecodeCurrentCount(snapshot, policy), DecodeHold(snapshot.HoldText, policy), DecodePaused(snapshot.AutoscaleText));
    }

    /// <summary>The count this leader wrote (or found already written): the fallback for a garbage desired key.</summary>
    public void RememberCount(int count) => _lastKnownCount = count;

    private ScalingPolicy DecodePolicy(string? text)
    {
        if (text is null)
        {
            _policy = _configPolicy;
            _rejectedPolicyText = null;
            return _policy;
        }

        var parsed = ScalingPolicyJson.Read(text, _configPolicy);
        if (parsed.Policy is { } policy)
        {
            _policy = policy;
            _rejectedPolicyText = null;
        }
        else if (text != _rejectedPolicyText)
        {
            _rejectedPolicyText = text;
            LogInvalidPolicy(keys.App, keys.Policy, string.Join("; ", parsed.Errors));
        }

        return _policy;
    }

    private int DecodeCurrentCount(AppSnapshot snapshot, ScalingPolicy policy)
    {
        if (snapshot.DesiredCount is { } count)
        {
            return count;
        }

        // Never scale from garbage: keep the count this leader last wrote, else what is placed,
        // else the policy's minimum (a fresh app).
        // In long, bounded by max: placement counts are each ≤ the node cap, but not their sum.
        var placed = (int)Math.Min(snapshot.PlacementCounts.Values.Sum(count => (long)count), policy.Max);
        var kept = _lastKnownCount ?? (placed > 0 ? placed : policy.Min);
        if (snapshot.DesiredText is not null)
        {
            LogInvalidDesired(keys.App, Shorten(snapshot.DesiredText), keys.Desired, kept);
        }

        return kept;
    }

    private ManualHold? DecodeHold(string? text, ScalingPolicy policy)
    {
        if (text is null)
        {
            return null;
        }

        if (HoldJson.TryRead(text, out var hold, out var error))
        {
            // Only `agent scale --force` may hold outside min..max; anyone else who can write the
            // key gets the bounds.
            var clamped = Math.Clamp(hold.Count, policy.Min, policy.Max);
            if (hold.Forced || clamped == hold.Count)
            {
                return hold;
            }

            if (text != _clampedHoldText)
            {
                _clampedHoldText = text;
                LogHoldClamped(keys.App, keys.Hold, hold.Count, policy.Min, policy.Max, clamped);
            }

            return hold with { Count = clamped };
        }

        LogInvalidHold(keys.App, keys.Hold, error);
        return null;
    }

    private bool DecodePaused(string? text)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "on":
                _paused = false;
                break;
            case "off":
                _paused = true;
                break;
            default:
                LogInvalidAutoscale(keys.App, Shorten(text), keys.Autoscale, _paused ? "off" : "on");
                break;
        }

        return _paused;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: ignoring invalid policy at {Key}, keeping the last valid one: {Errors}")]
    private partial void LogInvalidPolicy(string app, string key, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: ignoring invalid desired count \"{Value}\" at {Key}; keeping {Count}")]
    private partial void LogInvalidDesired(string app, string value, string key, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: ignoring invalid hold at {Key}: {Error}")]
    private partial void LogInvalidHold(string app, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: hold at {Key} asks for {Count}, outside the policy's {Min}..{Max} without the force marker (agent scale --force); holding {Clamped}")]
    private partial void LogHoldClamped(string app, string key, int count, int min, int max, int clamped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: ignoring \"{Value}\" at {Key} (use on or off); autoscaling stays {State}")]
    private partial void LogInvalidAutoscale(string app, string value, string key, string state);
}
