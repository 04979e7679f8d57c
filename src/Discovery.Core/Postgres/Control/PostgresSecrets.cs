namespace Discovery.Core.Postgres.Control;

/// <summary>The passwords a member uses, read once from their files (first line). Never logged.</summary>
internal sealed record PostgresSecrets(string Superuser, string Replication, string? Database)
{
    public static PostgresSecrets Load(Configuration.PostgresConfig config) => new(
        Read(config.SuperuserPasswordFile),
        Read(config.ReplicationPasswordFile),
        config.Database is { } database ? Read(database.PasswordFile) : null);

    /// <summary>The first line of a password file; throws <see cref="IOException"/> naming the file when it is unusable.</summary>
    public static string Read(string path)
    {
        var password = File.ReadLines(path).FirstOrDefault()?.Trim() ?? "";
        if (password.Length is 0 or > 256 || password.Any(char.IsControl))
        {
            throw new IOException($"password file {path} must hold one line of 1-256 printable characters");
        }

        return password;
    }
}
