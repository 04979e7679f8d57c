using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.TestSupport;

/// <summary>Keeps every log line (for assertions like "the garbage value was logged") and echoes it to the test output.</summary>
internal sealed class CapturingLoggerFactory(ITestOutputHelper? output = null, string? label = null) : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => _lines.ToList();

    public bool Contains(LogLevel level, string text) =>
        _lines.Any(line => line.Level == level && line.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string message)
    {
        _lines.Enqueue((level, message));
        try
        {
            output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {label} {level}: {message}");
        }
        catch (InvalidOperationException)
        {
            // the test already finished; background loops may still log while stopping
        }
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(logLevel, formatter(state, exception));
    }
}
