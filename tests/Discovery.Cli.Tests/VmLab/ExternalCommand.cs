using CliWrap;
using CliWrap.Buffered;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>Runs a real tool (ruby, bash, shellcheck, consul, vagrant) to completion, bounded (CliWrap: one-shot commands).</summary>
internal static class ExternalCommand
{
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment,
        string? workingDirectory,
        CancellationToken cancellationToken)
    {
        var command = CliWrap.Cli.Wrap(fileName)
            .WithArguments(arguments)
            .WithEnvironmentVariables((environment ?? new Dictionary<string, string>()).ToDictionary(pair => pair.Key, pair => (string?)pair.Value))
            .WithWorkingDirectory(workingDirectory ?? Environment.CurrentDirectory)
            .WithStandardInputPipe(PipeSource.Null)
            .WithValidation(CommandResultValidation.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // On cancellation CliWrap kills what it started (by its Process object), with its children.
            var result = await command.ExecuteBufferedAsync(deadline.Token);
            return new CommandResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{fileName} {command.Arguments} did not finish within {timeout}");
        }
    }
}
