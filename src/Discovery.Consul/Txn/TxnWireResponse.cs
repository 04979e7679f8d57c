using Discovery.Consul.KV;

namespace Discovery.Consul.Txn;

/// <summary>/v1/txn answer as Consul sends it.</summary>
internal sealed record TxnWireResponse(IReadOnlyList<TxnWireResponse.Result>? Results, IReadOnlyList<TxnError>? Errors)
{
    internal sealed record Result(KVPair? KV);
}
