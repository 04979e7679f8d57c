namespace Discovery.Core.Scaling.Store;

/// <summary>The KV form of a manual hold: <c>{"count":3,"until":"2026-01-01T10:00:00.0000000+00:00","reason":"…","force":true}</c> (force only when set).</summary>
internal sealed record HoldDocument(int Count, string Until, string? Reason, bool? Force);
