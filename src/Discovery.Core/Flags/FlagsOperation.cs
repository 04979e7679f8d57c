using System.Globalization;
using System.Text;
using Discovery.Consul;
using Discovery.Core.Scaling.Operations;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Flags;

/// <summary><c>agent flags set|list</c>: writes and lists <c>apps/&lt;app&gt;/flags/&lt;flag&gt;</c> (validated; bad input exits 2 and writes nothing).</summary>
internal sealed class FlagsOperation(ConsulClient consul, string prefix)
{
    public async Task<OperationResult> SetAsync(string app, string name, string state, int percent, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (!FlagJson.IsValidName(name))
        {
            problems.Add($"flag \"{name}\" is not a valid name (letters, digits, '.', '_', '-'; at most {FlagJson.MaxNameLength})");
        }

        if (state is not ("on" or "off"))
        {
            problems.Add($"\"{state}\" must be on or off");
        }

        if (percent is < 0 or > 100)
        {
            problems.Add($"--percent {percent} must be 0-100");
        }

        if (problems.Count > 0)
        {
            return OperationResult.Invalid("flags set: " + string.Join("; ", problems));
        }

        var keys = new ScalerKeys(prefix, app);
        var flag = new FeatureFlag(state == "on", percent);
        await consul.KV.PutStringAsync(keys.FlagsPrefix + name, FlagJson.Write(flag), cancellationToken: cancellationToken).ConfigureAwait(false);
        return OperationResult.Ok($"{app}: {name} {Describe(flag)} (running instances see it within a second)");
    }

    public async Task<OperationResult> ListAsync(string? app, CancellationToken cancellationToken)
    {
        var root = $"{prefix.Trim('/')}/apps/" + (app is null ? "" : app + "/flags/");
        var pairs = (await consul.KV.ListAsync(root, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var text = new StringBuilder();
        foreach (var pair in pairs.Where(pair => pair.Key.Contains("/flags/", StringComparison.Ordinal)).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var relative = pair.Key[(prefix.Trim('/').Length + "/apps/".Length)..];
            var (appName, flagName) = (relative[..relative.IndexOf('/', StringComparison.Ordinal)], relative[(relative.IndexOf("/flags/", StringComparison.Ordinal) + "/flags/".Length)..]);
            var flag = FlagJson.Read(pair.ValueAsString(), out var error);
            text.AppendLine(CultureInfo.InvariantCulture, $"{appName,-16} {flagName,-24} {(flag is null ? $"invalid, ignored: {error}" : Describe(flag))}");
        }

        return OperationResult.Ok(text.Length == 0 ? "no feature flags" : text.ToString().TrimEnd());
    }

    private static string Describe(FeatureFlag flag) => !flag.Enabled ? "off" : flag.Percent >= 100 ? "on" : $"on for {flag.Percent}% of request keys";
}
