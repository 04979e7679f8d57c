namespace Discovery.Core.Deploying;

/// <summary>One registered instance as the deploy sees it: its version, and whether it passes every check and every load balancer routes it.</summary>
internal sealed record ObservedInstance(string Id, string Node, string Version, bool Ready);
