using Discovery.Core.Rendering.Commands;

namespace Discovery.Core.Rendering.Targets;

/// <summary>
/// --dry: prints what would be written, as consul-template's -dry does ("> destination" then the
/// content), and touches nothing: no file, no check, no command. Prints again only when the
/// output changed.
/// </summary>
internal sealed class DryRunTarget(string destination, TextWriter output) : IRenderTarget
{
    private string? _printed;

    public string Name { get; } = destination;

    public IReadOnlyList<IRenderCommand> Commands => [];

    public async Task<TargetChange> ApplyAsync(string content, CancellationToken cancellationToken)
    {
        if (string.Equals(_printed, content, StringComparison.Ordinal))
        {
            return TargetChange.Unchanged;
        }

        await output.WriteAsync($"> {Name}\n{content}".AsMemory(), cancellationToken).ConfigureAwait(false);
        if (content.Length > 0 && content[^1] != '\n')
        {
            await output.WriteLineAsync().ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        _printed = content;
        return new TargetChange(TargetChangeKind.Changed);
    }
}
