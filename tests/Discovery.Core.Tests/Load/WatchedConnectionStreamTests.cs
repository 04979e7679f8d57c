using Discovery.Core.Load;

namespace Discovery.Core.Tests.Load;

/// <summary>How one watched connection classifies what its socket does (a scripted stream stands in for the socket).</summary>
public sealed class WatchedConnectionStreamTests
{
    [Theory]
    [InlineData("write answer write answer", 0, 0)]
    [InlineData("write answer peek", 0, 0)] // HttpClient's zero-byte read on an idle connection: data or EOF, not yet known
    [InlineData("write answer eof", 0, 1)]
    [InlineData("write answer peek eof", 0, 1)]
    [InlineData("write answer write eof", 1, 0)]
    [InlineData("write answer write reset", 1, 0)]
    [InlineData("write eof", 0, 0)] // first request on a new connection: HttpClient reports it, it re-sends nothing
    [InlineData("eof", 0, 0)]
    public async Task ReadAsync_Script_CountsResentAndClosedWhileIdle(string script, long resent, long closedWhileIdle)
    {
        var counter = new KeepAliveLossCounter();
        var socket = new ScriptedStream();
        await using var stream = new WatchedConnectionStream(socket, counter);
        var buffer = new byte[16];

        foreach (var step in script.Split(' '))
        {
            switch (step)
            {
                case "write":
                    await stream.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
                    break;
                case "answer":
                    socket.Next = 5;
                    Assert.Equal(5, await stream.ReadAsync(buffer));
                    break;
                case "peek":
                    socket.Next = 0;
                    Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
                    break;
                case "eof":
                    socket.Next = 0;
                    Assert.Equal(0, await stream.ReadAsync(buffer));
                    break;
                case "reset":
                    socket.Next = -1;
                    await Assert.ThrowsAsync<IOException>(async () => _ = await stream.ReadAsync(buffer));
                    break;
            }
        }

        Assert.Equal((resent, closedWhileIdle), (counter.Resent, counter.ClosedWhileIdle));
    }

    /// <summary>Reads return <see cref="Next"/> bytes (0 = end of stream, -1 = connection reset); writes vanish.</summary>
    private sealed class ScriptedStream : MemoryStream
    {
        public int Next { get; set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Next < 0 ? throw new IOException("Connection reset by peer") : ValueTask.FromResult(Math.Min(Next, buffer.Length));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
