namespace Discovery.Core.Status;

/// <summary>KV apps/&lt;app&gt;/hold as read; <see cref="Active"/> is false once <see cref="Until"/> has passed.</summary>
internal sealed record HoldStatus(int? Count, DateTimeOffset? Until, string? Reason, bool Active);
