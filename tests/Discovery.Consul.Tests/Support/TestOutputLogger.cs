using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Support;

/// <summary>Writes log lines to the test's output (shown for failing tests), prefixed with a name and the time.</summary>
internal sealed class TestOutputLogger<T>(ITestOutputHelper output, string name) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{name}] {logLevel}: {formatter(state, exception)}");
        }
        catch (InvalidOperationException)
        {
            // the test is over: a background loop logging late is not an error
        }
    }
}
