using Discovery.Cli.Options;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Json;

namespace Discovery.Cli.Logging;

/// <summary>
/// Serilog behind Microsoft.Extensions.Logging. Logs go to stderr so stdout stays clean for
/// `--json` output and pipes. Tokens are never passed to a logger anywhere in the agent, so no
/// redaction pass is needed here (and none could be trusted to catch every shape of a secret).
/// </summary>
internal static class CliLogging
{
    private const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static ILoggerFactory CreateFactory(LogLevel minimum, LogFormat format)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilog(minimum))
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        configuration = format == LogFormat.Json
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true), standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration.WriteTo.Console(outputTemplate: TextTemplate, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        return new SerilogLoggerFactory(configuration.CreateLogger(), dispose: true);
    }

    internal static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
