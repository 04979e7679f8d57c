using Discovery.Core.Observability;
using Discovery.Core.Rendering.Commands;
using Discovery.Core.Rendering.Targets;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// Applies the outputs of one burst: each target validates and swaps (or skips unchanged output);
/// then every command that some changed target asked for runs once, in order of first mention
/// (two templates naming the same reload cause one reload). A failed command undoes the swaps of
/// the targets that asked for it, so files and what the command serves stay in agreement.
/// </summary>
internal sealed partial class ChangeApplier(ILogger logger)
{
    public async Task<IReadOnlyList<ApplyOutcome>> ApplyAsync(IReadOnlyList<(RenderJob Job, string Output)> outputs, CancellationToken cancellationToken)
    {
        var outcomes = new ApplyOutcome[outputs.Count];
        var changes = new TargetChange?[outputs.Count];
        for (var i = 0; i < outputs.Count; i++)
        {
            var (job, output) = outputs[i];
            var change = await job.Target.ApplyAsync(output, cancellationToken).ConfigureAwait(false);
            changes[i] = change;
            outcomes[i] = change.Kind switch
            {
                TargetChangeKind.Unchanged => new ApplyOutcome(job, Changed: false, null),
                TargetChangeKind.Changed => new ApplyOutcome(job, Changed: true, null),
                _ => new ApplyOutcome(job, Changed: false, change.Error),
            };
            if (change.Kind is not (TargetChangeKind.Unchanged or TargetChangeKind.Changed))
            {
                RendererMetrics.ValidationFailures.WithLabels(RendererMetrics.LoadBalancer).Inc();
            }
            if (change.Kind == TargetChangeKind.Changed)
            {
                Log.Changed(logger, job.Target.Name);
            }
        }

        var due = Enumerable.Range(0, outputs.Count)
            .Where(i => changes[i]!.Kind == TargetChangeKind.Changed)
            .SelectMany(i => outputs[i].Job.Target.Commands)
            .Distinct()
            .ToList();
        foreach (var command in due)
        {
            var result = await command.RunAsync(cancellationToken).ConfigureAwait(false);
            RendererMetrics.Reloads.WithLabels(RendererMetrics.LoadBalancer, result.Succeeded ? "ok" : "failed").Inc();
            if (result.Succeeded)
            {
                Log.CommandRan(logger, command.Description, result.Output.Trim());
                continue;
            }

            // Put back every file that asked for this command: what runs must match what is on disk.
            for (var i = outputs.Count - 1; i >= 0; i--)
            {
                if (changes[i]!.Kind == TargetChangeKind.Changed && outputs[i].Job.Target.Commands.Contains(command) && outcomes[i].Error is null)
                {
                    var restored = "restored the previous";
                    try
                    {
                        await changes[i]!.Undo!(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                    {
                        restored = $"could not restore ({error.Message}) the previous";
                    }

                    outcomes[i] = outcomes[i] with
                    {
                        Changed = false,
                        Error = $"command {command.Description} failed ({result.Describe()}); {restored} {outputs[i].Job.Target.Name}",
                    };
                }
            }
        }

        return outcomes;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Installed {Target}")]
        public static partial void Changed(ILogger logger, string target);

        [LoggerMessage(Level = LogLevel.Information, Message = "Ran {Command} {Output}")]
        public static partial void CommandRan(ILogger logger, string command, string output);
    }
}
