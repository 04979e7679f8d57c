using System.Text.Json;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Deploying;

/// <summary>Reads and writes deploy requests and states; a request read from KV is checked field by field.</summary>
internal static class DeployRequestJson
{
    public const int MaxParallelLimit = 100;
    public static readonly TimeSpan MaxMinHealthy = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinHealthDeadline = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxHealthDeadline = TimeSpan.FromHours(1);

    public static string Write(DeployRequest request) => JsonSerializer.Serialize(request, ScalerJsonContext.Default.DeployRequest);

    public static string Write(DeployState state) => JsonSerializer.Serialize(state, ScalerJsonContext.Default.DeployState);

    /// <summary>The state, or null with an error for text that is not one (the leader then starts from what runs).</summary>
    public static DeployState? ReadState(string text, out string? error)
    {
        error = null;
        try
        {
            var state = JsonSerializer.Deserialize(text, ScalerJsonContext.Default.DeployState);
            state = state is null ? null : state with
            {
                MaxParallel = state.MaxParallel == 0 ? 1 : state.MaxParallel,
                HealthDeadlineMs = state.HealthDeadlineMs == 0 ? DeployRequest.DefaultHealthDeadlineMs : state.HealthDeadlineMs,
            };
            error = state is null ? "empty" : Problems(state.Version, state.Previous, state.MaxParallel, state.MinHealthyMs, state.HealthDeadlineMs, state.CanaryPercent, state.MaxErrorPercent)
                ?? (state.Status is DeployStatus.Rolling or DeployStatus.Canary or DeployStatus.Done ? null : $"unknown status \"{state.Status}\"");
            return error is null ? state : null;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The request, or null with every problem found.</summary>
    public static DeployRequest? ReadRequest(string text, out string? error)
    {
        error = null;
        try
        {
            var request = JsonSerializer.Deserialize(text, ScalerJsonContext.Default.DeployRequest);
            if (request is null)
            {
                error = "empty";
                return null;
            }

            // The generated reader leaves a missing number at 0 (the initializers do not run for
            // types with required members): a field left out means its default.
            request = request with
            {
                MaxParallel = request.MaxParallel == 0 ? 1 : request.MaxParallel,
                HealthDeadlineMs = request.HealthDeadlineMs == 0 ? DeployRequest.DefaultHealthDeadlineMs : request.HealthDeadlineMs,
            };

            error = request.Action switch
            {
                DeployRequest.Deploy => request.Version is null ? "deploy needs a version" : null,
                DeployRequest.Abort or DeployRequest.Rollback or DeployRequest.Promote => null,
                _ => $"unknown action \"{request.Action}\" (deploy, abort, rollback, promote)",
            } ?? Problems(request.Version, null, request.MaxParallel, request.MinHealthyMs, request.HealthDeadlineMs, request.CanaryPercent, request.MaxErrorPercent);
            return error is null ? request : null;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static string? Problems(string? version, string? previous, int maxParallel, long minHealthyMs, long deadlineMs, int? canary, int? maxErrorPercent)
    {
        var problems = new List<string>();
        if (version is not null && VersionName.Problem(version) is { } versionProblem)
        {
            problems.Add("version: " + versionProblem);
        }

        if (previous is not null && VersionName.Problem(previous) is { } previousProblem)
        {
            problems.Add("previous: " + previousProblem);
        }

        if (maxParallel is < 1 or > MaxParallelLimit)
        {
            problems.Add($"maxParallel {maxParallel} not in 1-{MaxParallelLimit}");
        }

        if (minHealthyMs < 0 || minHealthyMs > MaxMinHealthy.TotalMilliseconds)
        {
            problems.Add($"minHealthyMs {minHealthyMs} not in 0-{MaxMinHealthy.TotalMilliseconds}");
        }

        if (deadlineMs < MinHealthDeadline.TotalMilliseconds || deadlineMs > MaxHealthDeadline.TotalMilliseconds)
        {
            problems.Add($"healthDeadlineMs {deadlineMs} not in {MinHealthDeadline.TotalMilliseconds}-{MaxHealthDeadline.TotalMilliseconds}");
        }

        if (maxErrorPercent is < 1 or > 100)
        {
            problems.Add($"maxErrorPercent {maxErrorPercent} not in 1-100");
        }

        if (canary is < 1 or > 99)
        {
            problems.Add($"canaryPercent {canary} not in 1-99");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
