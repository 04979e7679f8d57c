using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Cli.Output;
using Discovery.Core.Load;

namespace Discovery.Cli.Commands;

/// <summary>`agent load`: paced, bounded GET load against a loopback URL (the lab's load balancer).</summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "Target URL (loopback only).",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (Uri.TryCreate(text, UriKind.Absolute, out var parsed))
                {
                    return parsed;
                }

                result.AddError($"'{text}' is not an absolute URL");
                return null;
            },
        };
        var rpm = new Option<int>("--rpm") { Description = "Requests per minute, evenly spaced.", Required = true };
        var duration = new Option<TimeSpan>("--duration") { Description = "How long to send (e.g. 30s, 2m).", Required = true, CustomParser = DurationArgument.Parse };
        var concurrency = new Option<int>("--concurrency") { Description = "Most requests in flight at once.", DefaultValueFactory = _ => 16 };
        var host = new Option<string?>("--host") { Description = "Host header (nginx routes <app>.* to <app>)." };
        var failOnError = new Option<bool>("--fail-on-error") { Description = "Exit 1 if any request failed." };
        var noRetry = new Option<bool>("--no-retry")
        {
            Description = "Count what .NET's HttpClient hides when the server closes keep-alive connections (e.g. an nginx reload) as failed: requests it silently re-sent, and connections closed unannounced between requests. wrk, curl scripts and any POST see those as errors. Always reported; this makes them failures.",
        };

        var command = new Command("load",
            "Send a paced GET load with a live progress line (sent, ok, failed, p50/p99) and a summary. Stops by itself.\n\n" +
            "Example:\n  agent load --url http://127.0.0.5:8080/ --rpm 1200 --duration 60s --no-retry --fail-on-error");
        command.Options.Add(url);
        command.Options.Add(rpm);
        command.Options.Add(duration);
        command.Options.Add(concurrency);
        command.Options.Add(host);
        command.Options.Add(failOnError);
        command.Options.Add(noRetry);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new LoadOptions(
                parseResult.GetRequiredValue(url),
                parseResult.GetValue(rpm),
                parseResult.GetValue(duration),
                parseResult.GetValue(concurrency),
                parseResult.GetValue(host))
            {
                CountKeepAliveLossesAsFailed = parseResult.GetValue(noRetry),
            };
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                throw new UsageException(string.Join("; ", errors));
            }

            var losses = new KeepAliveLossCounter();
            using var handler = losses.CreateHandler(options.Concurrency);
            var generator = new LoadGenerator(handler, TimeProvider.System, losses);
            var interactive = !Console.IsErrorRedirected;
            var summary = await generator.RunAsync(
                options,
                snapshot => Console.Error.Write(interactive ? "\r" + LoadProgressView.Line(snapshot) + "   " : LoadProgressView.Line(snapshot) + "\n"),
                TimeSpan.FromSeconds(1),
                cancellationToken);
            if (interactive)
            {
                Console.Error.WriteLine();
            }

            Console.WriteLine(LoadProgressView.Summary(summary));
            return parseResult.GetValue(failOnError) && summary.Failed > 0 ? ExitCodes.RuntimeFailure : ExitCodes.Ok;
        });
        return command;
    }
}
