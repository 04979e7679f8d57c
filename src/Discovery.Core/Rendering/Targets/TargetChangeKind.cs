namespace Discovery.Core.Rendering.Targets;

internal enum TargetChangeKind
{
    /// <summary>The target already holds exactly this content: nothing written, no command.</summary>
    Unchanged,

    /// <summary>Validated and swapped in; its commands are due.</summary>
    Changed,

    /// <summary>Rejected or failed; the previous content is still in place.</summary>
    Failed,
}
