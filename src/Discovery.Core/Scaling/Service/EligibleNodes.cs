using Discovery.Consul.Health;

namespace Discovery.Core.Scaling.Service;

/// <summary>
/// Which nodes may run an app: those whose <c>discovery-agent</c> service is passing and whose
/// service meta <c>apps</c> (comma-separated) names the app.
/// </summary>
internal static class EligibleNodes
{
    public const string NodeAgentService = "discovery-agent";
    public const string AppsMetaKey = Discovery.Core.NodeAgent.Registration.ServiceRegistrationFactory.AppsKey;

    /// <param name="passingAgents">Entries of a passing-only health query for <see cref="NodeAgentService"/>.</param>
    public static IReadOnlyList<string> For(string app, IEnumerable<ServiceEntry> passingAgents) =>
        passingAgents
            .Where(entry => entry.Checks.All(check => check.Status == "passing"))
            .Where(entry => Offers(entry, app))
            .Select(entry => entry.Node.Name)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool Offers(ServiceEntry entry, string app) =>
        entry.Service.Meta is { } meta
        && meta.TryGetValue(AppsMetaKey, out var apps)
        && apps.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(app, StringComparer.Ordinal);
}
