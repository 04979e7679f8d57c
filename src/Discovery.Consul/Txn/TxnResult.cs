using Discovery.Consul.KV;

namespace Discovery.Consul.Txn;

/// <summary>Outcome of a transaction: committed with the KV results, or rolled back with the errors.</summary>
/// <param name="Committed">True when every operation was applied.</param>
/// <param name="Results">KV results of the operations that return one (get, set, cas …).</param>
/// <param name="Errors">Why it was rolled back; empty when committed.</param>
public sealed record TxnResult(bool Committed, IReadOnlyList<KVPair> Results, IReadOnlyList<TxnError> Errors);
