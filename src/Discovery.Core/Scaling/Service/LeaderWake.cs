namespace Discovery.Core.Scaling.Service;

/// <summary>Why the leader loop woke before its evaluation was due.</summary>
/// <param name="EligibleNodes">The eligible node set, when node agents changed; null for an operator change.</param>
/// <param name="ChangedKey">The operator key that changed.</param>
internal sealed record LeaderWake(IReadOnlyList<string>? EligibleNodes, string? ChangedKey);
