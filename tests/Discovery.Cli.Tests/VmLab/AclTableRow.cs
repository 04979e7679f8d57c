namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// One attempt of <see cref="AclTable"/>: a role's token making one real API call. Path and body may
/// hold {node} (the token's own node), {other} (another node), {lb} (the token's own load
/// balancer), {session} (a session on the other node), replaced per lab by <see cref="AclLabServer"/>.
/// </summary>
/// <param name="Note">For <see cref="AclExpectation.AllowedConsulCannotPrevent"/>: why, and what guards routing instead.</param>
public sealed record AclTableRow(string Role, string Attempt, string Method, string Path, string? Body, AclExpectation Expect, string Note = "");
