using System.CommandLine;
using System.Globalization;
using Discovery.Cli.Options;
using Discovery.Cli.Output;
using Discovery.Core.Deploying;

namespace Discovery.Cli.Commands;

/// <summary>
/// `agent deploy &lt;app&gt; --version V [--max-parallel 1] [--min-healthy 10s] [--canary 10%] [--wait]`,
/// and `--promote`, `--abort`, `--rollback`: asks the app's scaler leader for a rolling (or canary)
/// deploy and follows it.
/// </summary>
internal static class DeployCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var app = new Argument<string>("app") { Description = "The app to deploy." };
        var version = new Option<string?>("--version") { Description = "The version to run (the node configs say how: {version} in the command and/or an artifacts folder per version)." };
        var maxParallel = new Option<int>("--max-parallel") { Description = "New instances started at once next to the old ones.", DefaultValueFactory = _ => 1 };
        var minHealthy = new Option<TimeSpan>("--min-healthy")
        {
            Description = "How long new instances must stay passing and routed before old ones are drained.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
            CustomParser = DurationArgument.Parse,
        };
        var deadline = new Option<TimeSpan>("--health-deadline")
        {
            Description = "New instances not passing and routed within this long revert the deploy automatically.",
            DefaultValueFactory = _ => TimeSpan.FromMilliseconds(DeployRequest.DefaultHealthDeadlineMs),
            CustomParser = DurationArgument.Parse,
        };
        var maxErrors = new Option<string>("--max-error-share")
        {
            Description = "Revert when this share of the new version's answers are 5xx (read from each new instance's GET /stats; apps without it are not checked); \"off\" to skip.",
            DefaultValueFactory = _ => "10%",
        };
        var canary = new Option<string?>("--canary") { Description = "Start as a canary that gets this share of requests (1%-99%), by balancer weight; then --promote or --abort." };
        var promote = new Option<bool>("--promote") { Description = "Complete the running canary as a rolling deploy." };
        var abort = new Option<bool>("--abort") { Description = "Stop the running deploy and go back to the previous version (a canary: remove it)." };
        var rollback = new Option<bool>("--rollback") { Description = "Go back to the previous version (also after a deploy finished)." };
        var wait = new Option<bool>("--wait") { Description = "Print progress until the deploy ends (a canary: until it runs); exit 1 if it failed or was reverted." };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "With --wait: give up waiting (exit 1) after this long; the deploy goes on.",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(15),
            CustomParser = DurationArgument.Parse,
        };
        var prefix = PrefixOption.Create();
        var command = new Command("deploy",
            "Ship a new version: a rolling replacement decided by the app's scaler leader — start a new instance, wait until it is passing and routed, drain an old one (LB-confirmed), go on; reverts by itself when new instances fail.\n\n" +
            "Examples:\n  agent deploy web --version 1.1.0 --wait\n  agent deploy web --version 1.1.0 --canary 10% --wait\n  agent deploy web --promote --wait\n  agent deploy web --abort\n  agent deploy web --rollback --wait");
        connection.AddTo(command);
        command.Arguments.Add(app);
        foreach (var option in new Option[] { version, maxParallel, minHealthy, deadline, maxErrors, canary, promote, abort, rollback, wait, timeout, prefix })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var actions = new[] { (parseResult.GetValue(promote), DeployRequest.Promote), (parseResult.GetValue(abort), DeployRequest.Abort), (parseResult.GetValue(rollback), DeployRequest.Rollback) }
                .Where(choice => choice.Item1).Select(choice => choice.Item2).ToList();
            var versionValue = parseResult.GetValue(version);
            if (actions.Count + (versionValue is null ? 0 : 1) != 1)
            {
                await Console.Error.WriteLineAsync("deploy: give exactly one of --version, --promote, --abort, --rollback");
                return ExitCodes.BadInput;
            }

            int? canaryPercent = null;
            if (parseResult.GetValue(canary) is { } canaryText)
            {
                if (versionValue is null || !int.TryParse(canaryText.TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var percent) || percent is < 1 or > 99)
                {
                    await Console.Error.WriteLineAsync($"deploy: --canary \"{canaryText}\" must be a share 1%-99% of a --version deploy");
                    return ExitCodes.BadInput;
                }

                canaryPercent = percent;
            }

            int? maxErrorPercent = null;
            if (parseResult.GetValue(maxErrors) is { } errorText && errorText != "off")
            {
                if (!int.TryParse(errorText.TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var errorPercent) || errorPercent is < 1 or > 100)
                {
                    await Console.Error.WriteLineAsync($"deploy: --max-error-share \"{errorText}\" must be 1%-100% or off");
                    return ExitCodes.BadInput;
                }

                maxErrorPercent = errorPercent;
            }

            var request = new DeployRequest
            {
                Action = actions.Count == 1 ? actions[0] : DeployRequest.Deploy,
                Version = versionValue,
                MaxParallel = parseResult.GetValue(maxParallel),
                MinHealthyMs = (long)parseResult.GetValue(minHealthy).TotalMilliseconds,
                HealthDeadlineMs = (long)parseResult.GetValue(deadline).TotalMilliseconds,
                CanaryPercent = canaryPercent,
                MaxErrorPercent = maxErrorPercent,
                RequestedAt = DateTimeOffset.UtcNow,
                RequestedBy = Environment.UserName + "@" + Environment.MachineName,
            };
            using var client = await connection.CreateClientAsync(parseResult, cancellationToken);
            var operation = new DeployOperation(client, parseResult.GetRequiredValue(prefix));
            var appName = parseResult.GetRequiredValue(app);
            var (result, index) = await operation.RequestAsync(appName, request, cancellationToken);
            (result.Succeeded ? Console.Out : Console.Error).WriteLine(result.Message);
            if (!result.Succeeded || !parseResult.GetValue(wait))
            {
                return result.ExitCode;
            }

            var waited = await operation.WaitAsync(appName, index, parseResult.GetValue(timeout), new LineProgress(Console.Error), cancellationToken);
            (waited.Succeeded ? Console.Out : Console.Error).WriteLine(waited.Message);
            return waited.ExitCode;
        });
        return command;
    }
}
