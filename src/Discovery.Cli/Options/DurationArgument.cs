using System.CommandLine.Parsing;
using Discovery.Consul.Durations;

namespace Discovery.Cli.Options;

/// <summary>Parses Go-style durations ("500ms", "30s", "1m30s") for options, with the parser's own error reporting.</summary>
internal static class DurationArgument
{
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (GoDuration.TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration (examples: 500ms, 30s, 2m, 1m30s)");
        return default;
    }
}
