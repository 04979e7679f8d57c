namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// consul-template's <c>wait { min, max }</c>: after a change, render once nothing changed for
/// <paramref name="Min"/>, but never later than <paramref name="Max"/> after the first change.
/// </summary>
public sealed record QuiescenceWait(TimeSpan Min, TimeSpan Max)
{
    public static readonly QuiescenceWait Default = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
}
