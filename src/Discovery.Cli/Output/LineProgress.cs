namespace Discovery.Cli.Output;

/// <summary>
/// Progress written at once, on the reporting thread: <see cref="Progress{T}"/> posts to the thread
/// pool, so its last lines could be lost when the command exits right after the final report.
/// </summary>
internal sealed class LineProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value) => writer.WriteLine(value);
}
