namespace Discovery.Bench.ScaleReaction;

/// <summary>The load generator's current target, changed by the benchmark between phases.</summary>
internal sealed class OfferedRate(double rpm)
{
    private double _rpm = rpm;

    public double Rpm
    {
        get => Volatile.Read(ref _rpm);
        set => Volatile.Write(ref _rpm, value);
    }
}
