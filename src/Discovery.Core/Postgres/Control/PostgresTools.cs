using System.Globalization;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Processes;

namespace Discovery.Core.Postgres.Control;

/// <summary>
/// The Postgres command-line tools a member needs (initdb, pg_basebackup, pg_rewind, pg_controldata),
/// run as the postgres user through setpriv when the agent is root, each with a timeout. Passwords
/// travel in PGPASSWORD (readable only by that user and root), never on a command line.
/// </summary>
internal sealed class PostgresTools(PostgresConfig config, PostgresFiles files)
{
    private static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CopyTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The command and leading arguments that run <paramref name="tool"/> as the configured user.</summary>
    public (string Command, IReadOnlyList<string> Prefix) AsPostgresUser(string tool) =>
        config.RunAs is { } user
            ? ("/usr/bin/setpriv", ["--reuid=" + user, "--regid=" + user, "--init-groups", "--", config.Tool(tool)])
            : (config.Tool(tool), []);

    /// <summary>A new cluster with checksums (pg_rewind needs them) and a superuser password.</summary>
    public async Task<CommandOutcome> InitDbAsync(string superuserPassword, CancellationToken cancellationToken)
    {
        files.CreateEmptyDataDirectory();
        // initdb reads the password from a file the postgres user can open: a private one next to
        // the data directory, removed at once.
        var passwordFile = config.DataDir.TrimEnd('/') + ".initdb-password";
        files.WriteOwned(passwordFile, superuserPassword + "\n");
        try
        {
            return await RunAsync("initdb", ["-D", config.DataDir, "-U", PostgresConfig.Superuser, "--pwfile=" + passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--data-checksums", "-E", "UTF8", "--no-instructions"], null, QuickTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>A fresh copy of <paramref name="source"/> into the (empty) data directory, WAL streamed alongside.</summary>
    public Task<CommandOutcome> BaseBackupAsync(MemberEndpoint source, string replicationPassword, CancellationToken cancellationToken)
    {
        files.CreateEmptyDataDirectory();
        return RunAsync("pg_basebackup", ["-D", config.DataDir, "-h", source.Address, "-p", source.Port.ToString(CultureInfo.InvariantCulture),
            "-U", PostgresConfig.ReplicationUser, "-X", "stream", "-c", "fast", "--no-password"], replicationPassword, CopyTimeout, cancellationToken);
    }

    /// <summary>
    /// Rewinds this (stopped) data directory to where it diverged from <paramref name="source"/>'s
    /// timeline, so a former primary can follow the new one. Postgres 13+ runs crash recovery first
    /// when the directory was not shut down cleanly (a kill -9).
    /// </summary>
    public Task<CommandOutcome> RewindAsync(MemberEndpoint source, string superuserPassword, CancellationToken cancellationToken) =>
        RunAsync("pg_rewind", ["-D", config.DataDir, "--source-server",
            string.Create(CultureInfo.InvariantCulture, $"host={source.Address} port={source.Port} user={PostgresConfig.Superuser} dbname=postgres connect_timeout=3")],
            superuserPassword, CopyTimeout, cancellationToken);

    /// <summary>"Latest checkpoint location" of a stopped data directory: after a clean shutdown, the end of everything the primary wrote.</summary>
    public async Task<WalPosition?> LatestCheckpointAsync(CancellationToken cancellationToken)
    {
        var outcome = await RunAsync("pg_controldata", ["-D", config.DataDir], null, QuickTimeout, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return null;
        }

        const string Label = "Latest checkpoint location:";
        var line = outcome.Output.Split('\n').FirstOrDefault(text => text.StartsWith(Label, StringComparison.Ordinal));
        return line is not null && WalPosition.TryParse(line[Label.Length..].Trim(), out var position) ? position : null;
    }

    private Task<CommandOutcome> RunAsync(string tool, IReadOnlyList<string> arguments, string? password, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (command, prefix) = AsPostgresUser(tool);
        var environment = new Dictionary<string, string> { ["LC_ALL"] = "C.UTF-8" };
        if (password is not null)
        {
            environment["PGPASSWORD"] = password;
        }

        return CommandRunner.RunAsync(command, [.. prefix, .. arguments], environment, timeout, cancellationToken);
    }
}
