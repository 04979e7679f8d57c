using System.Text.RegularExpressions;
using Discovery.Core.Configuration;

namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>
/// Binds what separates an app from its node agent: the allow-list of the agent's environment
/// variables it may see (<c>passEnv</c>) and the Unix user it runs as (<c>user</c>). The agent
/// holds a Consul token; an app is code the agent merely supervises, so nothing reaches it unless
/// the config names it.
/// </summary>
internal static partial class AppIsolationBinder
{
    /// <summary>Where setpriv(1) lives on Debian (util-linux); the Postgres members use the same.</summary>
    public const string Setpriv = "/usr/bin/setpriv";

    public static IReadOnlyList<string> BindPassEnv(ConfigMapReader app)
    {
        if (app.Node("passEnv").Kind == ConfigNodeKind.Null)
        {
            return AppConfig.DefaultPassEnv;
        }

        var names = app.StringList("passEnv");
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (!VariableNamePattern().IsMatch(name))
            {
                app.AddError($"passEnv[{i}]", $"\"{name}\" is not an environment variable name (letters, digits, '_'; not starting with a digit)");
            }
            else if (name.StartsWith("CONSUL_", StringComparison.Ordinal))
            {
                // CONSUL_HTTP_TOKEN and friends are the agent's credentials: an app has no business with them.
                app.AddError($"passEnv[{i}]", $"{name}: the agent's Consul settings and credentials are never passed to an app");
            }
        }

        return names;
    }

    /// <param name="isRoot">Whether the agent runs as root (setpriv cannot change user otherwise).</param>
    /// <param name="primaryGroupOf">The user's primary group id, or null when there is no such user (the passwd database in production).</param>
    public static AppUser? BindUser(ConfigMapReader app, bool isRoot, Func<string, int?> primaryGroupOf)
    {
        var user = app.OptionalString("user");
        if (user is null)
        {
            return null;
        }

        if (!UserNamePattern().IsMatch(user))
        {
            app.AddError("user", $"\"{user}\" is not a valid Unix user name");
        }
        else if (!isRoot)
        {
            app.AddError("user", $"running instances as \"{user}\" needs the node agent to run as root (it drops to that user with setpriv)");
        }
        else if (primaryGroupOf(user) is { } groupId)
        {
            return new AppUser(user, groupId);
        }
        else
        {
            app.AddError("user", $"no such user \"{user}\" on this machine");
        }

        return null;
    }

    /// <summary>The primary group id in /etc/passwd (name:x:uid:gid:…); the labs create their users there.</summary>
    public static int? PrimaryGroupInPasswd(string user)
    {
        if (!File.Exists("/etc/passwd"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == user && int.TryParse(fields[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var groupId))
            {
                return groupId;
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableNamePattern();

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserNamePattern();
}
