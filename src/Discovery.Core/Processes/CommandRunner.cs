using System.Text;
using CliWrap;

namespace Discovery.Core.Processes;

/// <summary>
/// Runs a short-lived command to completion with a timeout, capturing stdout and stderr (tools such
/// as initdb, pg_basebackup, pg_rewind) — through CliWrap, the one way one-shot commands run. On
/// timeout or cancellation CliWrap kills the command, never leaving it running. Long-lived processes
/// go through <see cref="SetsidProcessLauncher"/> instead.
/// </summary>
public static class CommandRunner
{
    public static async Task<CommandOutcome> RunAsync(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var cli = Cli.Wrap(command)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment.ToDictionary(pair => pair.Key, pair => (string?)pair.Value))
            // A tool running as another user must be able to stat its working directory.
            .WithWorkingDirectory("/")
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout); // a real process: the wall clock rules it, not a test clock
        try
        {
            var result = await cli.ExecuteAsync(deadline.Token).ConfigureAwait(false);
            return new CommandOutcome(false, result.ExitCode, stderr.ToString() + stdout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CommandOutcome(true, -1, stderr.ToString() + stdout);
        }
    }
}
