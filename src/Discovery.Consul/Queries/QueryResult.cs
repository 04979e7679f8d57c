namespace Discovery.Consul.Queries;

/// <summary>A read's value plus Consul's blocking-query metadata.</summary>
/// <typeparam name="T">Decoded body; <c>null</c> where Consul answered 404 (e.g. a missing key).</typeparam>
/// <param name="Value">The decoded answer.</param>
/// <param name="LastIndex">X-Consul-Index: pass back as <see cref="QueryOptions.Index"/> to block for a change.</param>
/// <param name="KnownLeader">X-Consul-KnownLeader: false while the cluster has no leader.</param>
/// <param name="LastContact">X-Consul-LastContact: how stale a stale read may be.</param>
public sealed record QueryResult<T>(T Value, ulong LastIndex, bool KnownLeader, TimeSpan LastContact);
