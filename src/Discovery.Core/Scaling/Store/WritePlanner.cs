using System.Globalization;
using System.Text;
using Discovery.Consul.Txn;
using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Evaluation;

namespace Discovery.Core.Scaling.Store;

/// <summary>
/// The leader's "what to write" step as a pure function: snapshot + decision + placement → the
/// operations of one fenced transaction (desired count, placement, scaler state, a history entry
/// and the pruning of old ones). Only what differs from the snapshot is written — the scaler state
/// only when a successor would decide differently (<see cref="ScalingStateHandover"/>) — so a quiet
/// round writes nothing at all.
/// </summary>
internal static class WritePlanner
{
    /// <summary>History entries deleted per round at most, so a long-neglected history cannot overflow Consul's 64-operation transaction limit.</summary>
    public const int MaxPrunedPerRound = 16;

    /// <param name="keys">The app's KV layout.</param>
    /// <param name="input">What the round read and decided.</param>
    /// <param name="historyLimit">History entries to keep.</param>
    public static WritePlan Plan(ScalerKeys keys, WritePlanInput input, int historyLimit)
    {
        var (snapshot, decision, placement) = (input.Snapshot, input.Decision, input.Placement);
        var operations = new List<TxnOperation>();
        var newText = decision.NewCount.ToString(CultureInfo.InvariantCulture);
        if (snapshot.DesiredText != newText)
        {
            // CAS against the value just read: an operator's `agent scale` in between rolls this
            // back instead of being overwritten, and the next round honours it.
            operations.Add(TxnOperation.Cas(keys.Desired, Encoding.UTF8.GetBytes(newText), snapshot.Desired?.ModifyIndex ?? 0));
        }

        if (placement.CanPlace)
        {
            foreach (var (node, count) in placement.Counts)
            {
                var text = count.ToString(CultureInfo.InvariantCulture);
                if (!snapshot.PlacementText.TryGetValue(node, out var stored) || stored != text)
                {
                    operations.Add(TxnOperation.Set(keys.Placement(node), text));
                }
            }
        }

        var storedState = ScalingStateJson.TryRead(snapshot.ScalerStateText, out var parsed, out _) ? parsed : null; // unreadable: rewritten
        if (ScalingStateHandover.MustWrite(storedState, input.NextState, decision.At, input.Stabilization))
        {
            operations.Add(TxnOperation.Set(keys.ScalerState, ScalingStateJson.Write(input.NextState)));
        }

        if (!input.RecordDecision)
        {
            return new WritePlan(operations, null, []);
        }

        var (sequence, expired) = HistoryKeys.Append(input.History, historyLimit, MaxPrunedPerRound);
        var record = DecisionRecord.ForDecision(sequence, decision, placement, input.FencingToken, input.Leader);
        operations.Add(TxnOperation.Set(keys.History(sequence), DecisionRecordJson.Write(record)));
        operations.AddRange(expired.Select(old => TxnOperation.Delete(keys.History(old))));
        return new WritePlan(operations, sequence, expired);
    }

    /// <summary>
    /// A round is recorded when it is the term's first evaluation, scales, or changes kind (so the
    /// log shows each new situation once, not every quiet round); a re-placement when it moved instances.
    /// </summary>
    public static bool ShouldRecord(bool evaluated, bool firstOfTerm, ScalingDecisionKind kind, ScalingDecisionKind? lastKind, int moved) =>
        evaluated ? firstOfTerm || kind == ScalingDecisionKind.Scale || kind != lastKind : moved > 0;
}
