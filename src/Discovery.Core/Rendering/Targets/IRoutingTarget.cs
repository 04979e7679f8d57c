namespace Discovery.Core.Rendering.Targets;

/// <summary>
/// A target whose consumer decides what is routed (nginx's peer set): it reports the consumer's own
/// view, which the renderer publishes as routed instead of what the template rendered; and since
/// the consumer can lose what it was given (a restart from an older file), it is applied again
/// every <see cref="RefreshInterval"/> even without a data change.
/// </summary>
internal interface IRoutingTarget
{
    /// <summary>Instance IDs the consumer routes to, sorted; null until the first successful apply.</summary>
    IReadOnlyList<string>? Routed { get; }

    TimeSpan RefreshInterval { get; }

    /// <summary>Something else changed what the consumer routes (another target's command, e.g. an nginx reload): look again on the next apply.</summary>
    void Recheck();
}
