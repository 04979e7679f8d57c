namespace Discovery.Core.Rendering.Install;

/// <summary>The result of <see cref="SafeConfigInstaller.InstallAsync"/>, with nginx's own words when it failed.</summary>
internal sealed record InstallOutcome(InstallResult Result, string? Error = null);
