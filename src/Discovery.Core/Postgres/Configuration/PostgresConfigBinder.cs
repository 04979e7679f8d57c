using System.Net;
using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.Postgres.Control;

namespace Discovery.Core.Postgres.Configuration;

/// <summary>
/// Binds and validates the node config's <c>postgres:</c> section (called by the node config
/// loader, so its errors join every other error of the file, each with its path).
/// </summary>
internal static class PostgresConfigBinder
{
    /// <summary>Null when the section is absent.</summary>
    public static PostgresConfig? Bind(ConfigMapReader? section, string nodeName, string baseDirectory)
    {
        if (section is null)
        {
            return null;
        }

        var cluster = section.OptionalString("cluster") ?? PostgresConfig.DefaultCluster;
        if (!NodeAgentConfigLoader.NamePattern().IsMatch(cluster))
        {
            section.AddError("cluster", $"\"{cluster}\" is not a valid service name (letters, digits, '.', '_', '-')");
        }

        var roleText = section.RequiredString("role");
        var role = PostgresRole.Replica;
        if (roleText.Length > 0 && !Enum.TryParse(roleText, ignoreCase: true, out role))
        {
            section.AddError("role", $"\"{roleText}\" is not a role (primary or replica)");
        }

        var upstream = section.OptionalString("upstream");
        if (role == PostgresRole.Replica && roleText.Length > 0 && upstream is null)
        {
            section.AddError("upstream", "required for a replica: the node it is first cloned from");
        }
        else if (role == PostgresRole.Primary && upstream is not null)
        {
            section.AddError("upstream", "a primary streams from no one; remove upstream");
        }
        else if (upstream is not null && string.Equals(upstream, nodeName, StringComparison.Ordinal))
        {
            section.AddError("upstream", $"a replica cannot stream from itself (\"{upstream}\" is this node's name)");
        }

        var dataDirText = section.RequiredString("dataDir");
        var dataDir = dataDirText.Length > 0 ? Path.GetFullPath(dataDirText, baseDirectory) : "";
        var port = (int)section.Integer("port", PostgresConfig.DefaultPort, 1, 65535);
        var binDir = Path.GetFullPath(section.OptionalString("binDir") ?? PostgresConfig.DefaultBinDir, baseDirectory);
        var runAs = section.OptionalString("runAs") ?? (Environment.IsPrivilegedProcess ? PostgresConfig.DefaultRunAs : null);
        var superuserPasswordFile = FilePath(section, "superuserPasswordFile", baseDirectory);
        var replicationPasswordFile = FilePath(section, "replicationPasswordFile", baseDirectory);
        var database = BindDatabase(section.Map("database"), baseDirectory);
        var synchronous = BindSynchronous(section);

        var networks = section.Node("allowedNetworks").Kind == ConfigNodeKind.Null ? ["127.0.0.0/8"] : section.StringList("allowedNetworks");
        for (var i = 0; i < networks.Count; i++)
        {
            if (!IPNetwork.TryParse(networks[i], out _))
            {
                section.AddError($"allowedNetworks[{i}]", $"\"{networks[i]}\" is not a network in CIDR form (e.g. 10.0.0.0/24)");
            }
        }

        var checkInterval = section.Duration("checkInterval", PostgresConfig.DefaultCheckInterval);
        var maxLag = section.Duration("maxLag", PostgresConfig.DefaultMaxLag);
        if (maxLag <= checkInterval)
        {
            section.AddError("maxLag", "must be longer than checkInterval (the primary's heartbeat is written once per checkInterval)");
        }

        var grace = section.Duration("failoverGrace", PostgresConfig.DefaultFailoverGrace);
        var stopTimeout = section.Duration("stopTimeout", PostgresConfig.DefaultStopTimeout);
        section.ReportUnknownKeys();
        return new PostgresConfig(cluster, role, upstream, dataDir, port, binDir, runAs, superuserPasswordFile, replicationPasswordFile, database,
            synchronous, networks, checkInterval, maxLag, grace, stopTimeout);
    }

    private static bool BindSynchronous(ConfigMapReader section)
    {
        var text = section.OptionalString("synchronousCommit");
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "off" or "false" or "local":
                return false;
            case "on" or "true" or "remote_write" or "remote_apply":
                // One synchronous level is offered: "on" (flushed on a replica), which is what "no
                // acknowledged write is lost on failover" needs.
                if (text.Trim().ToLowerInvariant() is "remote_write" or "remote_apply")
                {
                    section.AddError("synchronousCommit", $"\"{text}\" is not supported; use on (a replica flushed the commit) or off");
                }

                return true;
            default:
                section.AddError("synchronousCommit", $"\"{text}\" is not on or off");
                return false;
        }
    }

    private static PostgresDatabaseConfig? BindDatabase(ConfigMapReader? database, string baseDirectory)
    {
        if (database is null)
        {
            return null;
        }

        var name = database.RequiredString("name");
        var owner = database.RequiredString("owner");
        foreach (var (key, value) in new[] { ("name", name), ("owner", owner) })
        {
            if (value.Length > 0 && !SqlIdentifier.IsPlain(value))
            {
                database.AddError(key, $"\"{value}\" must be a plain lower-case identifier (a-z, 0-9, _; starting with a letter)");
            }
        }

        var passwordFile = FilePath(database, "passwordFile", baseDirectory);
        database.ReportUnknownKeys();
        return new PostgresDatabaseConfig(name, owner, passwordFile);
    }

    private static string FilePath(ConfigMapReader section, string key, string baseDirectory)
    {
        var text = section.RequiredString(key);
        return text.Length > 0 ? Path.GetFullPath(text, baseDirectory) : "";
    }
}
