using Discovery.Core.Rendering.Peers;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Peers;

/// <summary>
/// The C# parser (what the renderer checks and saves) and nginx's Lua parser (what nginx routes by)
/// must accept and refuse exactly the same lines, for the same reasons: every case of
/// <see cref="PeerLineCases"/> is pushed to a real nginx and compared.
/// </summary>
public sealed class PeerParserAgreementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Push_EveryLineCase_NginxAgreesWithCSharpParser()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var disagreements = new List<string>();

        foreach (var row in PeerLineCases.All())
        {
            var line = (string)row[0];
            var text = $"api 10.1.1.1:80 1 keeper\n{line}\n";
            var expected = PeerSetText.Parse(text, out _)!;

            var pushed = await lb.Client.PushAsync(text, CancellationToken.None);
            var view = await lb.Client.ReadAsync(CancellationToken.None);

            if (view.Text != PeerSetText.Format(expected.Peers) || !pushed.Problems.SequenceEqual(expected.Problems))
            {
                disagreements.Add($"{line[..Math.Min(60, line.Length)]}: nginx kept [{view.Text.Trim()}] problems [{string.Join("; ", pushed.Problems)}], " +
                                  $"C# kept [{PeerSetText.Format(expected.Peers).Trim()}] problems [{string.Join("; ", expected.Problems)}]");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }
}
