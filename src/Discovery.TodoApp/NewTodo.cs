namespace Discovery.TodoApp;

/// <summary>Body of POST /todos.</summary>
internal sealed record NewTodo(string? Title);
