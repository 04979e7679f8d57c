namespace Discovery.Core.Load;

/// <summary>
/// One HTTP/1.1 connection of <see cref="KeepAliveLossCounter"/>'s handler, on a connection that
/// already carried an answer (a reused keep-alive connection):
/// <list type="bullet">
/// <item>a request was written and the connection ended (EOF or reset) before any byte of its
/// answer: SocketsHttpHandler re-sends that request silently — counted as re-sent;</item>
/// <item>the server closed it while idle, without announcing it (an answer with "Connection:
/// close" is never read past, so it cannot end here): HttpClient's pool notices before reuse, a
/// client without that check sends its next request into it — counted as closed while idle.</item>
/// </list>
/// </summary>
internal sealed class WatchedConnectionStream(Stream inner, KeepAliveLossCounter counter) : Stream
{
    private volatile bool _awaitingAnswer;
    private volatile bool _disposed;
    private int _answers;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            _ = ClosedUnderRequest();
            throw;
        }

        if (read == 0 && buffer.Length > 0)
        {
            // End of stream. (A zero-byte read is HttpClient waiting for data on an idle connection:
            // it returns 0 when data is there, not at the end.)
            if (!ClosedUnderRequest())
            {
                ClosedWhileIdle();
            }
        }
        else if (_awaitingAnswer)
        {
            _awaitingAnswer = false;
            Interlocked.Increment(ref _answers);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _awaitingAnswer = true;
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _awaitingAnswer = true;
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _disposed = true;
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Counts a request cut off on a reused connection; true when there was one.</summary>
    private bool ClosedUnderRequest()
    {
        if (!_awaitingAnswer || Volatile.Read(ref _answers) == 0)
        {
            return false;
        }

        _awaitingAnswer = false;
        counter.CountResent();
        return true;
    }

    private void ClosedWhileIdle()
    {
        if (!_awaitingAnswer && !_disposed && Volatile.Read(ref _answers) > 0)
        {
            counter.CountClosedWhileIdle();
        }
    }
}
