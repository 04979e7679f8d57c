namespace Discovery.Core.Scaling.Configuration;

/// <summary>Leader-lock tuning passed to the lock options; null keeps the lock's own default.</summary>
internal sealed record ScalerLockConfig(TimeSpan? CheckTtl, TimeSpan? LockDelay)
{
    public static ScalerLockConfig Default { get; } = new(null, null);
}
