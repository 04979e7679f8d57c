namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>How a node finished: normally, or by {{break}} / {{continue}} travelling up to the nearest range.</summary>
internal enum Flow
{
    Normal,
    Break,
    Continue,
}
