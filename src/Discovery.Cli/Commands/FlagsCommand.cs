using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Core.Flags;

namespace Discovery.Cli.Commands;

/// <summary>`agent flags set &lt;app&gt; &lt;flag&gt; on|off [--percent P]`, `agent flags list [app]`: feature flags in KV, delivered to running instances by the node agents.</summary>
internal static class FlagsCommand
{
    public static Command Create()
    {
        var command = new Command("flags",
            "Feature flags of an app (KV apps/<app>/flags/<flag>); node agents hand them to running instances within a second, no restart.\n\n" +
            "Examples:\n  agent flags set web loud-greeting on --percent 25\n  agent flags set web loud-greeting off\n  agent flags list");
        command.Subcommands.Add(Set());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Set()
    {
        var connection = new ConnectionOptions();
        var app = new Argument<string>("app") { Description = "The app." };
        var flag = new Argument<string>("flag") { Description = "The flag's name (letters, digits, '.', '_', '-')." };
        var state = new Argument<string>("state") { Description = "on or off." };
        var percent = new Option<int>("--percent") { Description = "While on: the share of request keys (a header or cookie, hashed) it is on for; sticky per key.", DefaultValueFactory = _ => 100 };
        var prefix = PrefixOption.Create();
        var command = new Command("set", "Turn a flag on (for everyone or a sticky share) or off.");
        connection.AddTo(command);
        command.Arguments.Add(app);
        command.Arguments.Add(flag);
        command.Arguments.Add(state);
        command.Options.Add(percent);
        command.Options.Add(prefix);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = await connection.CreateClientAsync(parseResult, cancellationToken);
            var result = await new FlagsOperation(client, parseResult.GetRequiredValue(prefix)).SetAsync(
                parseResult.GetRequiredValue(app), parseResult.GetRequiredValue(flag), parseResult.GetRequiredValue(state), parseResult.GetValue(percent), cancellationToken);
            (result.Succeeded ? Console.Out : Console.Error).WriteLine(result.Message);
            return result.ExitCode;
        });
        return command;
    }

    private static Command List()
    {
        var connection = new ConnectionOptions();
        var app = new Argument<string?>("app") { Description = "Only this app's flags.", Arity = ArgumentArity.ZeroOrOne };
        var prefix = PrefixOption.Create();
        var command = new Command("list", "List the flags of every app (or one).");
        connection.AddTo(command);
        command.Arguments.Add(app);
        command.Options.Add(prefix);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = await connection.CreateClientAsync(parseResult, cancellationToken);
            var result = await new FlagsOperation(client, parseResult.GetRequiredValue(prefix)).ListAsync(parseResult.GetValue(app), cancellationToken);
            (result.Succeeded ? Console.Out : Console.Error).WriteLine(result.Message);
            return result.ExitCode;
        });
        return command;
    }
}
