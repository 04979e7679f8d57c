using Discovery.Consul.Locking;

namespace Discovery.Consul.Tests.Locking;

public sealed class FencingTokenGuardTests
{
    [Theory]
    [InlineData(new ulong[] { 1, 1, 2, 5 }, new[] { true, true, true, true }, 5UL)]
    [InlineData(new ulong[] { 3, 2 }, new[] { true, false }, 3UL)]
    [InlineData(new ulong[] { 4, 7, 5, 7, 8 }, new[] { true, true, false, true, true }, 8UL)]
    [InlineData(new ulong[] { 0 }, new[] { true }, 0UL)]
    public void TryAccept_Tokens_RejectsOnlyLowerThanHighestSeen(ulong[] tokens, bool[] expected, ulong highest)
    {
        var guard = new FencingTokenGuard();
        Assert.Equal(expected, tokens.Select(guard.TryAccept).ToArray());
        Assert.Equal(highest, guard.Highest);
    }
}
