using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Rendering.Commands;

/// <summary>A template's <c>command</c> from the config.</summary>
internal sealed record ShellCommand(CommandLine Line, TimeSpan Timeout) : IRenderCommand
{
    public string Description => Line.ToString();

    public Task<CommandResult> RunAsync(CancellationToken cancellationToken)
    {
        var (program, arguments) = Line.ToProcess();
        return ExternalCommand.RunAsync(program, arguments, null, Timeout, cancellationToken);
    }
}
