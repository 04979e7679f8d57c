using Discovery.Consul;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Scaling.Operations;

/// <summary><c>agent autoscale &lt;app&gt; pause|resume</c>: writes <c>apps/&lt;app&gt;/autoscale</c> = off/on.</summary>
internal sealed class AutoscaleOperation(ConsulClient consul, string prefix, IReadOnlyDictionary<string, ScalingPolicy>? configPolicies = null)
{
    public Task<OperationResult> PauseAsync(string app, CancellationToken cancellationToken) => SetAsync(app, "off", cancellationToken);

    public Task<OperationResult> ResumeAsync(string app, CancellationToken cancellationToken) => SetAsync(app, "on", cancellationToken);

    private async Task<OperationResult> SetAsync(string app, string value, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(app) || app.Contains('/', StringComparison.Ordinal))
        {
            return OperationResult.Invalid($"\"{app}\" is not an app name");
        }

        var keys = new ScalerKeys(prefix, app);
        var (_, error) = await AppPolicyLookup.FindAsync(consul, keys, configPolicies ?? new Dictionary<string, ScalingPolicy>(), force: true, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        try
        {
            await consul.KV.PutStringAsync(keys.Autoscale, value, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ConsulException e)
        {
            return OperationResult.Failed($"cannot write {keys.Autoscale}: {e.Message}");
        }

        return OperationResult.Ok(value == "off"
            ? $"{app}: autoscaling paused; the count stays as it is until resumed (agent scale still works)"
            : $"{app}: autoscaling resumed");
    }
}
