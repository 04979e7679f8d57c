namespace Discovery.Consul.Locking;

/// <summary>
/// Reader-side fencing: remembers the highest fencing token seen and rejects values written
/// under a lower one (a deposed leader that wrote late). Equal tokens pass: one term writes
/// many values. Thread-safe.
/// </summary>
public sealed class FencingTokenGuard
{
    private ulong _highest;

    /// <summary>The highest token accepted so far (0 before any).</summary>
    public ulong Highest => Interlocked.Read(ref _highest);

    /// <summary>True when <paramref name="token"/> is at least the highest seen (and then remembers it); false for a stale token.</summary>
    public bool TryAccept(ulong token)
    {
        while (true)
        {
            var highest = Interlocked.Read(ref _highest);
            if (token < highest)
            {
                return false;
            }

            if (token == highest || Interlocked.CompareExchange(ref _highest, token, highest) == highest)
            {
                return true;
            }
        }
    }
}
