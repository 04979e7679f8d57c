namespace Discovery.Core.Postgres.Configuration;

/// <summary>The application database the primary creates (idempotently) when it first accepts writes.</summary>
/// <param name="Name">Database name, e.g. "todo".</param>
/// <param name="Owner">Login role that owns it (the app connects as this role).</param>
/// <param name="PasswordFile">File holding the owner's password (first line).</param>
public sealed record PostgresDatabaseConfig(string Name, string Owner, string PasswordFile);
