namespace Discovery.Core.Postgres.Control;

/// <summary>What <see cref="PostgresServer.TryAdopt"/> found in the data directory.</summary>
internal enum PostmasterAdoption
{
    NothingRunning,
    Adopted,

    /// <summary>A postmaster runs there that the agent did not start (not its own process group leader): left alone, and nothing is started.</summary>
    NotOurs,
}
