using Npgsql;

namespace Discovery.TodoApp;

/// <summary>Creates the table on first use (on a primary; a replica already has it, or the read fails and says so).</summary>
internal static class TodoSchema
{
    private static volatile bool _ensured;

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_ensured)
        {
            return;
        }

        await using var recovery = new NpgsqlCommand("select pg_is_in_recovery()", connection);
        if ((bool)(await recovery.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        await using var create = new NpgsqlCommand("create table if not exists todos (id bigserial primary key, title text not null, done boolean not null default false, created timestamptz not null default now())", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        _ensured = true;
    }
}
