using System.CommandLine;
using System.Runtime.InteropServices;
using Discovery.Consul;
using Discovery.Core.Configuration;
using Discovery.Core.Lab;

namespace Discovery.Cli;

/// <summary>
/// Entry point of `agent`: parses, wires Ctrl-C/SIGTERM to one cancellation token, and is the only
/// place that catches every exception, mapping it to an exit code (0 ok, 1 runtime, 2 bad input).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = AgentRootCommand.Create();
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync("error: " + error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'agent --help' (or '<verb> --help') for usage.");
            return ExitCodes.BadInput;
        }

        using var shutdown = new CancellationTokenSource();
        // The first Ctrl-C or SIGTERM asks for a graceful stop; the runtime's default (kill at once)
        // would leave lab processes and Consul registrations behind.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => RequestStop(context, shutdown));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => RequestStop(context, shutdown));

        try
        {
            var configuration = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parseResult.InvokeAsync(configuration, shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (Exception exception) when (IsBadInput(exception))
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return ExitCodes.BadInput;
        }
        catch (LabStartupException exception)
        {
            await Console.Error.WriteLineAsync("error: the lab did not come up, everything was stopped: " + exception.Message);
            return ExitCodes.RuntimeFailure;
        }
        catch (ConsulUnavailableException exception)
        {
            await Console.Error.WriteLineAsync("error: Consul is not reachable: " + exception.Message);
            return ExitCodes.RuntimeFailure;
        }
        catch (ConsulApiException exception) when (exception.IsPermissionDenied)
        {
            await Console.Error.WriteLineAsync("error: permission denied by Consul ACLs (check --token / --token-file): " + exception.Message);
            return ExitCodes.RuntimeFailure;
        }
        catch (Exception exception)
        {
            await Console.Error.WriteLineAsync("error: " + exception);
            return ExitCodes.RuntimeFailure;
        }
    }

    private static bool IsBadInput(Exception exception) =>
        exception is ConfigException or UsageException or LabPreflightException;

    private static void RequestStop(PosixSignalContext context, CancellationTokenSource shutdown)
    {
        if (shutdown.IsCancellationRequested)
        {
            // A second Ctrl-C: let the runtime terminate the process.
            return;
        }

        context.Cancel = true;
        shutdown.Cancel();
    }
}
