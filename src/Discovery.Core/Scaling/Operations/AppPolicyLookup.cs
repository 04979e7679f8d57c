using Discovery.Consul;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Scaling.Operations;

/// <summary>
/// Finds an app's effective policy for operator commands: the KV override (on top of the config
/// policy, if any) or the config policy. An app with neither is unknown.
/// </summary>
internal static class AppPolicyLookup
{
    /// <param name="force">Accept an app whose only policy is an invalid KV value (bounds then unknown: Policy null, Error null).</param>
    /// <returns>The policy, or an invalid-input/failed result explaining why there is none.</returns>
    public static async Task<(ScalingPolicy? Policy, OperationResult? Error)> FindAsync(
        ConsulClient consul,
        ScalerKeys keys,
        IReadOnlyDictionary<string, ScalingPolicy> configPolicies,
        bool force,
        CancellationToken cancellationToken)
    {
        configPolicies.TryGetValue(keys.App, out var configPolicy);
        string? text;
        try
        {
            text = (await consul.KV.GetAsync(keys.Policy, cancellationToken: cancellationToken).ConfigureAwait(false)).Value?.ValueAsString();
        }
        catch (ConsulException e)
        {
            return (null, OperationResult.Failed($"cannot read {keys.Policy}: {e.Message}"));
        }

        if (text is null)
        {
            return configPolicy is null
                ? (null, OperationResult.Invalid($"unknown app \"{keys.App}\": no policy at {keys.Policy} and none in the scaler config"))
                : (configPolicy, null);
        }

        var parsed = ScalingPolicyJson.Read(text, configPolicy);
        if (parsed.Policy is { } policy)
        {
            return (policy, null);
        }

        // The scaler ignores an invalid override and keeps the config policy; so do we, if there is one.
        return configPolicy is null
            ? (null, force ? null : OperationResult.Invalid($"the policy at {keys.Policy} is invalid ({string.Join("; ", parsed.Errors)}); fix it or use --force"))
            : (configPolicy, null);
    }
}
