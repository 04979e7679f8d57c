namespace Discovery.Consul.Txn;

/// <summary>Why a transaction was rolled back: which operation failed and Consul's reason.</summary>
/// <param name="OpIndex">Zero-based index of the failed operation.</param>
/// <param name="What">Consul's message.</param>
public sealed record TxnError(int OpIndex, string What);
