using System.Globalization;
using Discovery.Consul.Locking;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Postgres.Member;

namespace Discovery.Core.Postgres.Failover;

/// <summary>What the leader decides from one <see cref="ClusterView"/>.</summary>
internal sealed partial class FailoverLeader
{
    private async Task<ClusterDecision?> EvaluateAsync(ClusterView view, LeaderTerm term, HistoryWriter history, CancellationToken cancellationToken)
    {
        if (view.StateIndex == ulong.MaxValue)
        {
            return null; // an invalid state: see Note
        }

        if (view.State is not { } state)
        {
            return await BootstrapAsync(view, term, history, cancellationToken).ConfigureAwait(false);
        }

        if (state.Generation != _generationSeen)
        {
            _generationSeen = state.Generation;
            _generationSeenAt = _time.GetTimestamp();
            _unhealthySince = 0;
        }

        if (state.Demote is not null)
        {
            return await ContinueSwitchoverAsync(view, state, term, history, cancellationToken).ConfigureAwait(false);
        }

        if (view.PrimaryHealthy)
        {
            _unhealthySince = 0;
            if (_confirmed != state.Generation)
            {
                // Also how a successor finishes a failover its predecessor decided and did not see through.
                _confirmed = state.Generation;
                await history.CommitAsync("confirmed", null, 0, state.Generation, state.Primary,
                    $"{state.Primary} runs as primary of generation {state.Generation} and passes its check", _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            return view.Request is { } request
                ? await StartSwitchoverAsync(view, state, request, term, history, cancellationToken).ConfigureAwait(false)
                : null;
        }

        _unhealthySince = _unhealthySince == 0 ? _time.GetTimestamp() : _unhealthySince;
        var primary = view.Find(state.Primary);
        // A decision not yet carried out (the new primary still promoting) gets longer than the grace.
        var allowance = primary is null || primary.Generation < state.Generation ? _config.FailoverGrace + PromoteAllowance : _config.FailoverGrace;
        var failingFor = _time.GetElapsedTime(Math.Max(_unhealthySince, _generationSeenAt));
        if (failingFor < allowance)
        {
            return null;
        }

        if (primary is not null && await PostgresAdmin.PositionAsync(primary.Endpoint, _superuserPassword, cancellationToken).ConfigureAwait(false) is { InRecovery: false })
        {
            // Its check fails (e.g. its node agent is gone) but postgres answers as primary: promoting
            // another would give the cluster two primaries that both accept writes.
            Note($"{state.Primary}'s check fails but its postgres answers as primary; not failing over");
            return null;
        }

        var received = new Dictionary<string, WalPosition>(StringComparer.Ordinal);
        foreach (var member in view.Members.Where(member => member.Node != state.Primary && member.State == MemberState.Replica))
        {
            if (await PostgresAdmin.PositionAsync(member.Endpoint, _superuserPassword, cancellationToken).ConfigureAwait(false) is { InRecovery: true, Received: { } position })
            {
                received[member.Node] = position;
            }
        }

        var why = $"{state.Primary} failing for {failingFor.TotalSeconds:0.0} s ({primary?.CheckOutput ?? "not registered"})";
        if (CandidatePicker.Pick(state.Primary, view.Members, received) is { } candidate)
        {
            return await DecideAsync("failover", view, state with { Generation = state.Generation + 1, Primary = candidate.Node },
                $"{why}; promoting {candidate.Node}, the most advanced replica (received {received[candidate.Node]})", term, history, cancellationToken).ConfigureAwait(false);
        }

        if (primary is { State: MemberState.HeldDown } && primary.Generation == state.Generation)
        {
            return await DecideAsync("restart-in-place", view, state with { Generation = state.Generation + 1 },
                $"{why}; no replica can take over; its node agent is alive: restarting it as primary", term, history, cancellationToken).ConfigureAwait(false);
        }

        Note($"{why}; no replica can take over and its node agent does not answer: waiting");
        return null;
    }

    private async Task<ClusterDecision?> BootstrapAsync(ClusterView view, LeaderTerm term, HistoryWriter history, CancellationToken cancellationToken)
    {
        var primaries = view.Members.Where(member => member.BootstrapPrimary).ToList();
        if (primaries.Count != 1)
        {
            Note(primaries.Count == 0
                ? "no cluster state yet, and no member configured primary has registered: waiting"
                : $"no cluster state yet, and {primaries.Count} members are configured primary ({string.Join(", ", primaries.Select(member => member.Node))}): fix the configs");
            return null;
        }

        var state = new ClusterState(1, primaries[0].Node, term.FencingToken, _time.GetUtcNow(), "bootstrap: the member configured primary", null, 0);
        return await DecideAsync("bootstrap", view, state, state.Reason, term, history, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ClusterDecision?> StartSwitchoverAsync(ClusterView view, ClusterState state, SwitchoverRequest request, LeaderTerm term, HistoryWriter history,
        CancellationToken cancellationToken)
    {
        var target = view.Find(request.To);
        var refusal = target switch
        {
            _ when request.To == state.Primary => $"{request.To} is already the primary",
            null => $"{request.To} is not a member of {_config.Cluster}",
            { State: not MemberState.Replica } or { Passing: false } => $"{request.To} is not a healthy replica ({target.State}: {target.CheckOutput})",
            _ => null,
        };
        if (refusal is not null)
        {
            return await DecideAsync("refused", view, state with { HandledRequest = view.RequestIndex, Token = term.FencingToken }, $"switchover to {request.To} refused: {refusal}",
                term, history, cancellationToken).ConfigureAwait(false);
        }

        return await DecideAsync("switchover-start", view, state with { Demote = new Demotion(request.To, view.RequestIndex, _time.GetUtcNow()) },
            $"switchover to {request.To} requested by {request.RequestedBy}: {state.Primary} shuts down cleanly first", term, history, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ClusterDecision?> ContinueSwitchoverAsync(ClusterView view, ClusterState state, LeaderTerm term, HistoryWriter history, CancellationToken cancellationToken)
    {
        var demote = state.Demote!;
        var old = view.Find(state.Primary);
        var target = view.Find(demote.Target);
        if (old is { State: MemberState.Demoted, FinalLsn: { } finalLsn } && target is not null
            && await PostgresAdmin.PositionAsync(target.Endpoint, _superuserPassword, cancellationToken).ConfigureAwait(false) is { InRecovery: true, Received: { } received }
            && received > finalLsn)
        {
            return await DecideAsync("switchover", view, state with { Generation = state.Generation + 1, Primary = demote.Target, Demote = null, HandledRequest = demote.Request },
                $"{state.Primary} stopped cleanly at {finalLsn}; {demote.Target} received {received}: promoting it", term, history, cancellationToken).ConfigureAwait(false);
        }

        if (_time.GetUtcNow() - demote.Since < SwitchoverTimeout)
        {
            return null;
        }

        // Rolled back: the old primary runs again (a new generation, so its agent may start it).
        return await DecideAsync("switchover-aborted", view, state with { Generation = state.Generation + 1, Demote = null, HandledRequest = demote.Request },
            $"switchover to {demote.Target} did not complete within {SwitchoverTimeout.TotalSeconds:0} s ({old?.State ?? "old primary unregistered"}, target {target?.CheckOutput ?? "unregistered"}); {state.Primary} stays primary",
            term, history, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ClusterDecision?> DecideAsync(string kind, ClusterView view, ClusterState next, string reason, LeaderTerm term, HistoryWriter history, CancellationToken cancellationToken)
    {
        var state = next with { Token = term.FencingToken, At = _time.GetUtcNow(), Reason = reason };
        var decision = await history.CommitAsync(kind, state, view.StateIndex, state.Generation, state.Primary, reason, state.At, cancellationToken).ConfigureAwait(false);
        if (decision is not null)
        {
            LogDecided(kind, state.Generation, state.Primary, reason);
            _lastNote = null;
        }

        return decision;
    }
}
