using Discovery.Core.Rendering.Commands;

namespace Discovery.Core.Rendering.Targets;

/// <summary>
/// Where one template's output goes. The render loop is the same for every target: render →
/// <see cref="ApplyAsync"/> (skip when unchanged, validate, swap) → run the <see cref="Commands"/>
/// of every target that changed in the burst, each once → on a failed command, undo the swaps
/// that asked for it. A file (with its check and command) is one kind of target, printing for
/// --dry another; a target that hands peers to a running nginx without a reload fits the same seam.
/// </summary>
internal interface IRenderTarget
{
    /// <summary>What the target updates, for logs and health (a file's path).</summary>
    string Name { get; }

    /// <summary>Run after a change, once per burst however many targets list the same command.</summary>
    IReadOnlyList<IRenderCommand> Commands { get; }

    /// <summary>Makes <paramref name="content"/> current unless it already is; never leaves a rejected candidate in place.</summary>
    Task<TargetChange> ApplyAsync(string content, CancellationToken cancellationToken);
}
