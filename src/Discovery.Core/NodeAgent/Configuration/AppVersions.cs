using Discovery.Core.Deploying;

namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>
/// Which versions of an app this node can run, and the app config bound to one of them. A version
/// comes from KV (the scaler leader's placement), so it is untrusted: it must be a
/// <see cref="VersionName"/>, and a version other than the config's own needs a command that
/// varies with it ({version} or {artifacts}) and, with an artifacts folder, that folder on disk.
/// </summary>
public static class AppVersions
{
    /// <summary>Why <paramref name="version"/> cannot run here; null when it can.</summary>
    public static string? WhyNot(AppConfig app, string version)
    {
        if (VersionName.Problem(version) is { } problem)
        {
            return problem;
        }

        if (version != app.Version && !UsesVersion(app))
        {
            return $"the node config runs only version {app.Version} (no {{version}} or {{artifacts}} in command, args, env or workingDir)";
        }

        if (app.Artifacts is not null && ArtifactFolder(app with { Version = version }) is { } folder && !Directory.Exists(folder))
        {
            return $"artifact folder {folder} does not exist";
        }

        return null;
    }

    /// <summary>The app config as it runs <paramref name="version"/> (the version goes into the service meta and the placeholders).</summary>
    public static AppConfig ForVersion(AppConfig app, string version) => version == app.Version ? app : app with { Version = version };

    /// <summary>The artifact folder of the app's (current) version; null when the app declares none.</summary>
    public static string? ArtifactFolder(AppConfig app) => app.Artifacts is null
        ? null
        : Placeholders.Expand(app.Artifacts, new Dictionary<string, string>
        {
            [Placeholders.App] = app.Name,
            [Placeholders.Version] = app.Version,
        });

    private static bool UsesVersion(AppConfig app) =>
        new[] { app.Command, app.WorkingDir ?? "" }.Concat(app.Args).Concat(app.Env.Values)
            .Any(text => Placeholders.Uses(text, Placeholders.Version) || Placeholders.Uses(text, Placeholders.Artifacts));
}
