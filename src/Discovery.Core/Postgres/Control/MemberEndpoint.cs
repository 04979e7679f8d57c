namespace Discovery.Core.Postgres.Control;

/// <summary>Where a member's postgres listens, as its registration in the catalog says (validated before use).</summary>
public sealed record MemberEndpoint(string Node, string Address, int Port);
