using Discovery.Core.Deploying;

namespace Discovery.Core.Tests.Deploying;

public sealed class DeployRequestJsonTests
{
    [Fact]
    public void ReadState_WrittenState_ReadsBack()
    {
        var state = new DeployState { Version = "1.1.0", Previous = "1.0.0", Status = DeployStatus.Rolling, HealthDeadlineMs = 60_000 };

        Assert.Equal(state, DeployRequestJson.ReadState(DeployRequestJson.Write(state), out var error));
        Assert.Null(error);
    }

    [Fact]
    public void ReadState_MinimalHandWritten_Reads()
    {
        var state = DeployRequestJson.ReadState("""{"version":"1.1.0","previous":"1.0.0","status":"rolling","healthDeadlineMs":60000}""", out var error);

        Assert.Null(error);
        Assert.Equal("1.1.0", state!.Version);
    }

    [Fact]
    public void ReadRequest_OnlyActionAndVersion_DefaultsFilledIn()
    {
        var request = DeployRequestJson.ReadRequest("""{"action":"deploy","version":"1.1.0"}""", out var error);

        Assert.Null(error);
        Assert.Equal((1, DeployRequest.DefaultHealthDeadlineMs), (request!.MaxParallel, request.HealthDeadlineMs));
    }

    [Theory]
    [InlineData("""{"action":"deploy","version":"../x"}""", "version: ")]
    [InlineData("""{"action":"deploy"}""", "deploy needs a version")]
    [InlineData("""{"action":"explode"}""", "unknown action")]
    [InlineData("""{"action":"deploy","version":"1.1.0","maxParallel":101,"canaryPercent":100,"maxErrorPercent":0}""", "maxParallel 101 not in 1-100; maxErrorPercent 0 not in 1-100; canaryPercent 100 not in 1-99")]
    [InlineData("""{"action":"deploy","version":"1.1.0","healthDeadlineMs":10}""", "healthDeadlineMs 10 not in")]
    [InlineData("""[]""", "")]
    public void ReadRequest_Invalid_NullWithEveryProblem(string text, string expected)
    {
        Assert.Null(DeployRequestJson.ReadRequest(text, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
