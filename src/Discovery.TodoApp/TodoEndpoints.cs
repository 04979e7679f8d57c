using Npgsql;

namespace Discovery.TodoApp;

/// <summary>
/// The JSON API: GET /todos (from a replica), POST /todos {"title"}, POST /todos/{id}/complete,
/// DELETE /todos/{id} (on the primary). Every database call is bounded (3 s); when there is no
/// primary or it fails, the answer is 503 with a body that says so — never a hang.
/// </summary>
internal static class TodoEndpoints
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    public static void Map(WebApplication app)
    {
        var router = app.Services.GetRequiredService<DatabaseRouter>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/status", () => Results.Ok(new { primary = router.Primary, replica = router.Replica }));
        app.MapGet("/todos", (CancellationToken token) => RunAsync(router.Reader, "read", time, async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand("select id, title, done from todos order by id", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var items = new List<object>();
            while (await reader.ReadAsync(ct))
            {
                items.Add(new { id = reader.GetInt64(0), title = reader.GetString(1), done = reader.GetBoolean(2) });
            }

            return Results.Ok(items);
        }, token));
        app.MapPost("/todos", async (NewTodo body, CancellationToken token) => string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 500
            ? Results.BadRequest(new { error = "title must be 1-500 characters" })
            : await RunAsync(router.Writer, "write", time, async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand("insert into todos (title) values ($1) returning id", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = body.Title });
                var id = (long)(await command.ExecuteScalarAsync(ct))!;
                return Results.Created($"/todos/{id}", new { id, title = body.Title, done = false, primary = router.Primary?.Node });
            }, token));
        app.MapPost("/todos/{id:long}/complete", (long id, CancellationToken token) => ChangeAsync(router, time, "update todos set done = true where id = $1", id, token));
        app.MapDelete("/todos/{id:long}", (long id, CancellationToken token) => ChangeAsync(router, time, "delete from todos where id = $1", id, token));
    }

    private static Task<IResult> ChangeAsync(DatabaseRouter router, TimeProvider time, string sql, long id, CancellationToken token) =>
        RunAsync(router.Writer, "write", time, async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            return await command.ExecuteNonQueryAsync(ct) == 0 ? Results.NotFound(new { error = $"no todo {id}" }) : Results.NoContent();
        }, token);

    private static async Task<IResult> RunAsync(NpgsqlDataSource? source, string what, TimeProvider time, Func<NpgsqlConnection, CancellationToken, Task<IResult>> work, CancellationToken token)
    {
        if (source is null)
        {
            return Unavailable($"no {(what == "write" ? "primary" : "")} database is available right now (failover in progress?); retry in a few seconds");
        }

        using var deadline = new CancellationTokenSource(Budget, time);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(token, deadline.Token);
        try
        {
            await using var connection = await source.OpenConnectionAsync(budget.Token);
            await TodoSchema.EnsureAsync(connection, budget.Token);
            return await work(connection, budget.Token);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException || (error is OperationCanceledException && !token.IsCancellationRequested))
        {
            return Unavailable($"the database {what} failed ({error.Message}); the primary may be failing over; retry in a few seconds");
        }
    }

    private static IResult Unavailable(string message) => Results.Json(new { error = message, retry = true }, statusCode: StatusCodes.Status503ServiceUnavailable);
}
