using System.Globalization;
using System.Text;
using Discovery.Core.Postgres.Configuration;

namespace Discovery.Core.Postgres.Control;

/// <summary>
/// The files the agent owns inside a data directory, rewritten before every start so the member's
/// configuration always matches its current role: <c>discovery.conf</c> (included from
/// postgresql.conf), <c>pg_hba.conf</c> and, for a replica, <c>standby.signal</c>. Settings go in a
/// file, not on the command line, because primary_conninfo carries a password and /proc/&lt;pid&gt;/cmdline
/// is world-readable.
/// </summary>
internal sealed class PostgresFiles(PostgresConfig config, string listenAddress, string nodeName, OsUser? owner)
{
    public const string IncludeFile = "discovery.conf";

    public string StandbySignal => Path.Combine(config.DataDir, "standby.signal");

    public bool IsDataDirectory => File.Exists(Path.Combine(config.DataDir, "PG_VERSION"));

    public bool WasReplica => File.Exists(StandbySignal);

    /// <summary>The text of discovery.conf (pure, so the exact settings are table-tested).</summary>
    public static string Settings(PostgresConfig config, string listenAddress, string nodeName, MemberEndpoint? follow, string replicationPassword)
    {
        var text = new StringBuilder("# Written by the Discovery node agent before every start; edits are overwritten.\n");
        void Set(string key, string value) => text.Append(CultureInfo.InvariantCulture, $"{key} = '{value.Replace("'", "''", StringComparison.Ordinal)}'\n");
        Set("listen_addresses", listenAddress);
        Set("port", config.Port.ToString(CultureInfo.InvariantCulture));
        // TCP only: no socket directory to create, own and clean up; every client authenticates.
        Set("unix_socket_directories", "");
        Set("cluster_name", nodeName);
        Set("wal_level", "replica");
        Set("max_wal_senders", "10");
        // A replica that was away for a while catches up from the primary's kept WAL instead of a re-clone.
        Set("wal_keep_size", "512MB");
        // pg_rewind needs either checksums (initdb -k) or hint-bit logging; both, in case a data dir came from elsewhere.
        Set("wal_log_hints", "on");
        Set("hot_standby", "on");
        Set("hot_standby_feedback", "on");
        Set("recovery_target_timeline", "latest");
        Set("synchronous_commit", config.SynchronousCommit ? "on" : "local");
        Set("synchronous_standby_names", config.SynchronousCommit ? "ANY 1 (*)" : "");
        Set("log_line_prefix", "%m [%p] ");
        if (follow is { } primary)
        {
            Set("primary_conninfo", string.Create(CultureInfo.InvariantCulture,
                $"host={primary.Address} port={primary.Port} user={PostgresConfig.ReplicationUser} password={ConnInfoQuote(replicationPassword)} application_name={nodeName} connect_timeout=2"));
        }

        return text.ToString();
    }

    /// <summary>pg_hba.conf: password (SCRAM) logins from the allowed networks only.</summary>
    public static string HostBasedAuthentication(PostgresConfig config)
    {
        var text = new StringBuilder("# Written by the Discovery node agent before every start; edits are overwritten.\n");
        foreach (var network in config.AllowedNetworks)
        {
            text.Append(CultureInfo.InvariantCulture, $"host replication {PostgresConfig.ReplicationUser} {network} scram-sha-256\n");
            text.Append(CultureInfo.InvariantCulture, $"host all all {network} scram-sha-256\n");
        }

        return text.ToString();
    }

    /// <summary>Writes the configuration for the next start: as primary, or (<paramref name="standby"/>) as a replica streaming from <paramref name="follow"/> (none: WAL only, e.g. to promote it next).</summary>
    public void WriteForStart(bool standby, MemberEndpoint? follow, string replicationPassword)
    {
        var postgresqlConf = Path.Combine(config.DataDir, "postgresql.conf");
        var include = $"include_if_exists = '{IncludeFile}'";
        if (!File.ReadLines(postgresqlConf).Any(line => line.Trim() == include))
        {
            File.AppendAllText(postgresqlConf, $"\n# Added by the Discovery node agent: its settings win over everything above.\n{include}\n");
        }

        WriteOwned(Path.Combine(config.DataDir, IncludeFile), Settings(config, listenAddress, nodeName, follow, replicationPassword));
        WriteOwned(Path.Combine(config.DataDir, "pg_hba.conf"), HostBasedAuthentication(config));
        if (!standby)
        {
            File.Delete(StandbySignal);
        }
        else
        {
            WriteOwned(StandbySignal, "");
        }
    }

    /// <summary>Creates the (empty) data directory, 0700 and owned by the postgres user, as initdb and pg_basebackup require.</summary>
    public void CreateEmptyDataDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Postgres members run on Linux");
        }

        Directory.CreateDirectory(config.DataDir);
        File.SetUnixFileMode(config.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        owner?.Own(config.DataDir);
    }

    /// <summary>Removes the data directory's contents (a re-clone after a failed pg_rewind), keeping the directory itself.</summary>
    public void EmptyDataDirectory()
    {
        foreach (var entry in new DirectoryInfo(config.DataDir).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }

    /// <summary>A file the postgres user reads: created 0600 and handed to it.</summary>
    public void WriteOwned(string path, string content)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Postgres members run on Linux");
        }

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
        }

        owner?.Own(path);
    }

    private static string ConnInfoQuote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
