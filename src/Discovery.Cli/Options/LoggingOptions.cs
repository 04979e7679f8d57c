using System.CommandLine;
using Discovery.Cli.Logging;
using Microsoft.Extensions.Logging;

namespace Discovery.Cli.Options;

/// <summary>--log-level / --log-format, shared by every verb that logs.</summary>
internal sealed class LoggingOptions
{
    public Option<LogLevel> Level { get; } = new("--log-level")
    {
        Description = "Minimum level: Trace, Debug, Information, Warning, Error, Critical.",
        DefaultValueFactory = _ => LogLevel.Information,
    };

    public Option<LogFormat> Format { get; } = new("--log-format")
    {
        Description = "Text (readable) or Json (one object per line, Serilog's JsonFormatter).",
        DefaultValueFactory = _ => LogFormat.Text,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Level);
        command.Options.Add(Format);
    }

    public ILoggerFactory CreateLoggerFactory(ParseResult parseResult) =>
        CliLogging.CreateFactory(parseResult.GetValue(Level), parseResult.GetValue(Format));
}
