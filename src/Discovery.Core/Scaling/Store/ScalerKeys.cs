using Discovery.Core.Configuration;

namespace Discovery.Core.Scaling.Store;

/// <summary>
/// The KV layout of one app under the configurable prefix (docs/contract.md). One place, so the
/// scaler, <c>agent scale</c> and the status view cannot drift apart.
/// </summary>
internal sealed record ScalerKeys
{
    public ScalerKeys(string prefix, string app)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(app);
        Prefix = prefix.Trim('/');
        App = app;
        AppPrefix = $"{Prefix}/apps/{app}/";
        HistoryKeys = new HistoryKeys(AppPrefix + "history/");
    }

    public string Prefix { get; }

    public string App { get; }

    /// <summary>Everything of the app, with a trailing slash: one list read fetches all of it.</summary>
    public string AppPrefix { get; }

    public string Desired => AppPrefix + "desired";

    public string Hold => AppPrefix + "hold";

    public string Policy => AppPrefix + "policy";

    public string Autoscale => AppPrefix + "autoscale";

    public string Leader => AppPrefix + "leader";

    public string ScalerState => AppPrefix + "scaler-state";

    public string PlacementPrefix => AppPrefix + "placement/";

    public HistoryKeys HistoryKeys { get; }

    public string HistoryPrefix => HistoryKeys.Prefix;

    /// <summary>Where load balancers publish the instance IDs they route: <c>&lt;prefix&gt;/lb/&lt;lb&gt;/routed</c>.</summary>
    public string LoadBalancersPrefix => Prefix + "/lb/";

    public string Placement(string node) => PlacementPrefix + node;

    public string History(long sequence) => HistoryKeys.Key(sequence);

    /// <summary>The sequence number of a history key, or null for a key that is not one.</summary>
    public long? HistorySequence(string key) => HistoryKeys.Sequence(key);
}
