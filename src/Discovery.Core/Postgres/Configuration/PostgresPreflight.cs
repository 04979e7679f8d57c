using System.Net;
using System.Net.Sockets;
using Discovery.Core.Configuration;
using Discovery.Core.Postgres.Control;

namespace Discovery.Core.Postgres.Configuration;

/// <summary>
/// What the node agent checks on the machine before it starts anything when a node runs a Postgres
/// member: the tools, the user, the data directory, the password files and the port. Every problem is
/// returned (as config errors with their key), and the agent exits 2 having started nothing.
/// </summary>
internal static class PostgresPreflight
{
    private static readonly string[] Tools = ["postgres", "initdb", "pg_basebackup", "pg_rewind", "pg_controldata"];

    public static IReadOnlyList<ConfigError> Check(PostgresConfig config, string advertiseAddress)
    {
        var errors = new List<ConfigError>();
        void Error(string key, string message) => errors.Add(new ConfigError("postgres." + key, message));

        foreach (var tool in Tools.Where(tool => !File.Exists(config.Tool(tool))))
        {
            Error("binDir", $"{config.Tool(tool)} not found (Debian package postgresql-15; scripts/setup installs it)");
        }

        if (config.RunAs is { } user)
        {
            if (OsUser.Find(user) is null)
            {
                Error("runAs", $"user \"{user}\" does not exist (the postgresql package creates \"postgres\")");
            }
            else if (!Environment.IsPrivilegedProcess)
            {
                Error("runAs", $"only a root node agent can run postgres as \"{user}\"; remove runAs to run it as this user");
            }
        }
        else if (Environment.IsPrivilegedProcess)
        {
            Error("runAs", "postgres refuses to run as root: name an unprivileged user (e.g. postgres)");
        }

        var parent = Path.GetDirectoryName(config.DataDir.TrimEnd('/'));
        var running = false;
        if (parent is null || !Directory.Exists(parent))
        {
            Error("dataDir", $"{config.DataDir}: its parent directory {parent} does not exist (created by hand on purpose: a mistyped mount path must not get a new, empty database)");
        }
        else if (File.Exists(config.DataDir))
        {
            Error("dataDir", $"{config.DataDir} is a file, not a directory");
        }
        else if (Directory.Exists(config.DataDir) && Directory.EnumerateFileSystemEntries(config.DataDir).Any())
        {
            if (!File.Exists(Path.Combine(config.DataDir, "PG_VERSION")))
            {
                Error("dataDir", $"{config.DataDir} is not empty and not a postgres data directory (no PG_VERSION)");
            }

            running = File.Exists(Path.Combine(config.DataDir, "postmaster.pid"));
        }

        foreach (var (key, path) in PasswordFiles(config))
        {
            try
            {
                PostgresSecrets.Read(path);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Error(key, error.Message);
            }
        }

        // A postmaster of this data directory (to adopt) holds the port itself; anything else there is a conflict.
        if (!running && IPAddress.TryParse(advertiseAddress, out var address) && !IsFree(address, config.Port))
        {
            Error("port", $"{advertiseAddress}:{config.Port} is already in use (another postgres?)");
        }

        return errors;
    }

    private static IEnumerable<(string Key, string Path)> PasswordFiles(PostgresConfig config)
    {
        yield return ("superuserPasswordFile", config.SuperuserPasswordFile);
        yield return ("replicationPasswordFile", config.ReplicationPasswordFile);
        if (config.Database is { } database)
        {
            yield return ("database.passwordFile", database.PasswordFile);
        }
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
