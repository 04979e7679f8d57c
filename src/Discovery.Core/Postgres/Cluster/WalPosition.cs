using System.Globalization;

namespace Discovery.Core.Postgres.Cluster;

/// <summary>A WAL location (Postgres' pg_lsn, written "16/B374D848"): comparable, parsed strictly because it arrives from Consul.</summary>
public readonly record struct WalPosition(ulong Value) : IComparable<WalPosition>
{
    public static bool TryParse(string? text, out WalPosition position)
    {
        position = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0 || slash == text.Length - 1
            || !uint.TryParse(text.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !uint.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        position = new WalPosition(((ulong)high << 32) | low);
        return true;
    }

    public int CompareTo(WalPosition other) => Value.CompareTo(other.Value);

    public static bool operator <(WalPosition left, WalPosition right) => left.Value < right.Value;

    public static bool operator >(WalPosition left, WalPosition right) => left.Value > right.Value;

    public static bool operator <=(WalPosition left, WalPosition right) => left.Value <= right.Value;

    public static bool operator >=(WalPosition left, WalPosition right) => left.Value >= right.Value;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value >> 32:X}/{Value & 0xFFFFFFFF:X}");
}
