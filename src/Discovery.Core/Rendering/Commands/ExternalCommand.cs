using System.ComponentModel;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Discovery.Core.Rendering.Commands;

/// <summary>
/// Runs one external program to completion through CliWrap: no shell unless asked for, output
/// captured, a non-zero exit is a result (not an exception), and past the timeout the program and
/// everything it started are killed.
/// </summary>
internal static class ExternalCommand
{
    public static async Task<CommandResult> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None);
        try
        {
            var result = await command.ExecuteBufferedAsync(Encoding.UTF8, Encoding.UTF8, deadline.Token).ConfigureAwait(false);
            return new CommandResult(false, result.ExitCode, result.StandardError + result.StandardOutput);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CommandResult(true, -1, $"killed after {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception error) when (error is Win32Exception or InvalidOperationException)
        {
            return new CommandResult(false, -1, $"cannot start {program}: {error.Message}");
        }
    }
}
