using System.Diagnostics;

namespace Discovery.Core.Processes;

/// <summary>
/// Runs a short-lived command to completion with a timeout, capturing stdout and stderr (tools such
/// as initdb, pg_basebackup, pg_rewind). On timeout or cancellation the command is killed, never left
/// running. Long-lived processes go through <see cref="SetsidProcessLauncher"/> instead.
/// </summary>
public static class CommandRunner
{
    public static async Task<CommandOutcome> RunAsync(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // A tool running as another user must be able to stat its working directory.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandOutcome(true, -1, await stderr.ConfigureAwait(false) + await stdout.ConfigureAwait(false));
        }

        return new CommandOutcome(false, process.ExitCode, await stderr.ConfigureAwait(false) + await stdout.ConfigureAwait(false));
    }
}
