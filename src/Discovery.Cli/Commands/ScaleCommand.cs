using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Consul;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Operations;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Cli.Commands;

/// <summary>`agent scale &lt;app&gt; --to N`: set the desired count by hand and hold it, optionally waiting until it is served.</summary>
internal static class ScaleCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var app = new Argument<string>("app") { Description = "The app to scale (as named in the node and scaler configs)." };
        // A string, not an int: "abc" and "-1" must get our own clear message (and exit 2), not a parser's.
        var to = new Option<string>("--to") { Description = "The instance count: an integer within the app's min..max.", Required = true };
        var hold = new Option<TimeSpan>("--hold")
        {
            Description = "How long the scaler keeps this count before autoscaling resumes (0s: no hold).",
            DefaultValueFactory = _ => ScaleOperation.DefaultHold,
            CustomParser = DurationArgument.Parse,
        };
        var force = new Option<bool>("--force") { Description = "Allow a count outside the policy's min..max." };
        var reason = new Option<string?>("--reason") { Description = "Why (shown in agent status and the decision history)." };
        var wait = new Option<bool>("--wait") { Description = "Wait until N instances are passing and routed by every load balancer." };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "With --wait: give up (exit 1) after this long.",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(2),
            CustomParser = DurationArgument.Parse,
        };
        var config = new Option<FileInfo?>("--config") { Description = "Optional scaler config, so apps known only from it (not yet in KV) are accepted." };
        var prefix = PrefixOption.Create();

        var command = new Command("scale",
            $"Set an app's instance count by hand; the scaler honours it for --hold (default {Consul.Durations.GoDuration.Format(ScaleOperation.DefaultHold)}) before autoscaling again.\n\n" +
            "Examples:\n  agent scale web --to 4 --wait\n  agent scale web --to 20 --force --hold 1h --reason \"launch day\"");
        connection.AddTo(command);
        command.Arguments.Add(app);
        foreach (var option in new Option[] { to, hold, force, reason, wait, timeout, config, prefix })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            IReadOnlyDictionary<string, ScalingPolicy>? policies = null;
            if (parseResult.GetValue(config) is { } file)
            {
                policies = ScalerConfigLoader.LoadFile(file.FullName).GetConfigOrThrow().Apps.ToDictionary(a => a.Name, a => a.Policy, StringComparer.Ordinal);
            }

            using var client = await connection.CreateClientAsync(parseResult, cancellationToken);
            var operation = new ScaleOperation(client, parseResult.GetRequiredValue(prefix), policies);
            var appName = parseResult.GetRequiredValue(app);
            var holdValue = parseResult.GetValue(hold);
            var result = await operation.ScaleAsync(appName, parseResult.GetRequiredValue(to), holdValue, parseResult.GetValue(force), parseResult.GetValue(reason), cancellationToken);
            Report(result);
            if (!result.Succeeded || !parseResult.GetValue(wait))
            {
                return result.ExitCode;
            }

            ScaleOperation.TryParseCount(parseResult.GetRequiredValue(to), out var count, out _);
            var progress = new Progress<ScaleProgress>(step => Console.Error.WriteLine(step.ToString()));
            var waited = await operation.WaitAsync(appName, count, parseResult.GetValue(timeout), progress, cancellationToken);
            Report(waited);
            return waited.ExitCode;
        });
        return command;
    }

    private static void Report(OperationResult result)
    {
        var writer = result.Succeeded ? Console.Out : Console.Error;
        writer.WriteLine(result.Message);
    }
}
