namespace Discovery.WebApp.Lifecycle;

/// <summary>Where the instance is in its life; only <see cref="Serving"/> makes /health answer 200.</summary>
internal enum ServingPhase
{
    Starting,
    Serving,
    Draining,
}
