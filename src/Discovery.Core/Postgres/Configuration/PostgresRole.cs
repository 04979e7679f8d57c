namespace Discovery.Core.Postgres.Configuration;

/// <summary>The role a member has: configured for the cluster's first start, then decided by the failover leader.</summary>
public enum PostgresRole
{
    Primary,
    Replica,
}
