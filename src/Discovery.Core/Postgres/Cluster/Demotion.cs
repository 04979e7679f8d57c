namespace Discovery.Core.Postgres.Cluster;

/// <summary>A planned switchover in progress: the primary shuts down cleanly, then <see cref="Target"/> is promoted once it has every byte.</summary>
/// <param name="Target">The replica that becomes primary.</param>
/// <param name="Request">ModifyIndex of the operator's request key, so one request is carried out once.</param>
/// <param name="Since">When the leader asked the primary to stop (the switchover times out from here).</param>
public sealed record Demotion(string Target, ulong Request, DateTimeOffset Since);
