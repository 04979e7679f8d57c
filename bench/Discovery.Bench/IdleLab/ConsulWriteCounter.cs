using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Discovery.Consul;
using Discovery.Consul.KV;
using Discovery.Consul.Queries;
using Discovery.Consul.Watching;

namespace Discovery.Bench.IdleLab;

/// <summary>
/// Counts Raft writes to the KV store and the catalog the way an outsider can see them: one
/// blocking query per table (the whole KV tree, every health check, the service list, the node
/// list) whose X-Consul-Index moves with every write to that table. A write that touches several
/// tables (a registration: service + check) moves them to the same index, so writes are counted as
/// distinct new index values. KV changes are also diffed key by key, so the report can name what
/// was written. The Raft log index (every commit, Consul's own coordinate and session updates
/// included) is read from /v1/agent/self for context.
/// </summary>
internal sealed class ConsulWriteCounter : IAsyncDisposable
{
    private readonly ConsulClient _consul;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(string Table, ulong Index, DateTimeOffset At)> _moves = new();
    private readonly ConcurrentQueue<(string Key, DateTimeOffset At)> _keyWrites = new();
    private readonly List<Task> _watches = [];

    public ConsulWriteCounter(Uri address, string managementToken)
    {
        _consul = new ConsulClient(new ConsulClientOptions { Address = address, Token = managementToken });
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Add("X-Consul-Token", managementToken);
    }

    public void Start()
    {
        _watches.Add(FollowKvAsync(_stop.Token));
        _watches.Add(FollowAsync("checks", (options, ct) => _consul.Health.StateAsync("any", options, ct), _stop.Token));
        _watches.Add(FollowAsync("services", (options, ct) => _consul.Catalog.ServicesAsync(options, ct), _stop.Token));
        _watches.Add(FollowAsync("nodes", (options, ct) => _consul.Catalog.NodesAsync(options, ct), _stop.Token));
    }

    /// <summary>Writes (distinct index values) to KV and to the catalog tables within [from, to).</summary>
    public (int Kv, int Catalog, int Total) WritesBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var window = _moves.Where(move => move.At >= from && move.At < to).ToList();
        var kv = window.Where(move => move.Table == "kv").Select(move => move.Index).Distinct().Count();
        var catalog = window.Where(move => move.Table != "kv").Select(move => move.Index).Distinct().Count();
        return (kv, catalog, window.Select(move => move.Index).Distinct().Count());
    }

    /// <summary>Which keys were written within [from, to), most written first.</summary>
    public IReadOnlyList<(string Key, int Writes)> KeyWritesBetween(DateTimeOffset from, DateTimeOffset to) =>
        _keyWrites.Where(write => write.At >= from && write.At < to)
            .GroupBy(write => write.Key)
            .Select(group => (group.Key, group.Count()))
            .OrderByDescending(entry => entry.Item2)
            .ToList();

    /// <summary>The Raft log index of the server this counter talks to (all commits, not just KV and catalog).</summary>
    public async Task<ulong> RaftIndexAsync(CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/v1/agent/self", UriKind.Relative), cancellationToken));
        var text = document.RootElement.GetProperty("Stats").GetProperty("raft").GetProperty("last_log_index").GetString();
        return ulong.Parse(text!, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_watches);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
        _http.Dispose();
        _consul.Dispose();
    }

    private async Task FollowAsync<T>(string table, Func<QueryOptions, CancellationToken, Task<QueryResult<T>>> query, CancellationToken cancellationToken)
    {
        var first = true;
        await foreach (var result in BlockingWatch.WatchAsync(query, options: Watch, cancellationToken: cancellationToken))
        {
            if (!first)
            {
                _moves.Enqueue((table, result.LastIndex, DateTimeOffset.UtcNow));
            }

            first = false;
        }
    }

    private async Task FollowKvAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, ulong>? known = null;
        await foreach (var result in BlockingWatch.WatchAsync((options, ct) => _consul.KV.ListAsync("", options, ct), options: Watch, cancellationToken: cancellationToken))
        {
            var now = DateTimeOffset.UtcNow;
            var current = result.Value.ToDictionary(pair => pair.Key, pair => pair.ModifyIndex, StringComparer.Ordinal);
            if (known is not null)
            {
                _moves.Enqueue(("kv", result.LastIndex, now));
                foreach (var key in current.Where(entry => !known.TryGetValue(entry.Key, out var old) || old != entry.Value).Select(entry => entry.Key))
                {
                    _keyWrites.Enqueue((key, now));
                }

                foreach (var deleted in known.Keys.Where(key => !current.ContainsKey(key)))
                {
                    _keyWrites.Enqueue((deleted + " (deleted)", now));
                }
            }

            known = current;
        }
    }

    // Short gaps: at 26 writes a second (the bug this benchmark was written for) coalescing would hide writes.
    private static WatchOptions Watch { get; } = new() { MinimumInterval = TimeSpan.FromMilliseconds(1), Jitter = TimeSpan.Zero, Wait = TimeSpan.FromSeconds(30) };
}
