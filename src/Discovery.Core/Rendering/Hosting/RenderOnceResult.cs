namespace Discovery.Core.Rendering.Hosting;

/// <summary>How <c>agent render --once</c> ended: 0 rendered (and checked, swapped, commands run), 1 a runtime failure or data still missing at the timeout.</summary>
internal sealed record RenderOnceResult(int ExitCode, IReadOnlyList<string> Problems)
{
    public static RenderOnceResult Success { get; } = new(0, []);
}
