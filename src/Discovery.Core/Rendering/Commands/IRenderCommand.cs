namespace Discovery.Core.Rendering.Commands;

/// <summary>
/// Something to run after templates changed (consul-template's <c>command</c>). Implementations are
/// records: equal commands from several templates that changed in one burst run once.
/// </summary>
internal interface IRenderCommand
{
    string Description { get; }

    Task<CommandResult> RunAsync(CancellationToken cancellationToken);
}
