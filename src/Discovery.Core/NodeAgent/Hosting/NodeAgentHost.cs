using Discovery.Core.NodeAgent.Configuration;
using System.Net;
using Discovery.Core.Observability;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.NodeAgent.Hosting;

/// <summary>Entry points for <c>agent node</c>: run a node agent until cancelled (SIGTERM/Ctrl-C).</summary>
public static partial class NodeAgentHost
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitConfigInvalid = 2;

    /// <summary>Runs with the default options (instances drained and stopped on exit).</summary>
    public static Task<int> RunAsync(NodeAgentConfig config, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        RunAsync(config, NodeAgentOptions.Default, loggers, cancellationToken);

    /// <summary>Runs until <paramref name="cancellationToken"/> fires, then shuts down as <paramref name="options"/> says. Returns the exit code.</summary>
    public static async Task<int> RunAsync(NodeAgentConfig config, NodeAgentOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(NodeAgentHost));
        NodeAgentRuntime runtime;
        try
        {
            runtime = await NodeAgentRuntime.StartAsync(config, options, loggers, TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitOk;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogStartFailed(logger, error.Message);
            return ExitFailed;
        }

        await using (runtime.ConfigureAwait(false))
        {
            MonitoringServer? monitoring;
            try
            {
                monitoring = NodeAgentMonitoring.Start(runtime, config, TimeProvider.System, logger);
            }
            catch (HttpListenerException error)
            {
                LogStartFailed(logger, $"cannot serve monitoring.listen: {error.Message}");
                await runtime.StopAsync(options.StopInstancesOnExit, CancellationToken.None).ConfigureAwait(false);
                return ExitFailed;
            }

            await using var monitoringScope = monitoring;
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the normal way out
            }

            await runtime.StopAsync(options.StopInstancesOnExit, CancellationToken.None).ConfigureAwait(false);
        }

        return ExitOk;
    }

    /// <summary>Loads and validates <paramref name="configPath"/>; every config error goes to <paramref name="errors"/> and the exit code is 2 before anything starts.</summary>
    public static async Task<int> RunFileAsync(string configPath, NodeAgentOptions options, ILoggerFactory loggers, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var loaded = NodeAgentConfigLoader.LoadFile(configPath);
        if (!loaded.IsValid)
        {
            foreach (var error in loaded.Errors)
            {
                await errors.WriteLineAsync($"{configPath}: {error}".AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            return ExitConfigInvalid;
        }

        return await RunAsync(loaded.Config!, options, loggers, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "node agent could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);
}
