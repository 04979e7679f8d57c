namespace Discovery.Core.Flags;

/// <summary>
/// One feature flag, the value of <c>apps/&lt;app&gt;/flags/&lt;flag&gt;</c>: on or off, and while on,
/// the share of request keys it is on for (100 = everyone). The app decides per request: a hash of
/// the flag and the request key below <see cref="Percent"/>, so one user always gets the same answer.
/// </summary>
internal sealed record FeatureFlag(bool Enabled, int Percent);
