using Discovery.Consul;
using Discovery.Consul.Queries;
using Discovery.Consul.Resilience;
using Discovery.Consul.Watching;
using Discovery.Core.Rendering.Templating;
using Polly;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>The Consul query behind each kind of dependency, and the loops that follow them.</summary>
internal sealed partial class ConsulTemplateDataSource
{
    private async Task WatchAsync(TemplateDependency dependency, CancellationToken cancellationToken)
    {
        try
        {
            switch (dependency)
            {
                case ServiceDependency service:
                    await FollowAsync(dependency, (options, ct) => _client.Health.ServiceAsync(service.Query.Name, service.Query.Tag, service.Query.PassingOnly, options, ct),
                        entries => UntrustedAnswers.Instances(entries.Select(ConsulAnswers.ToInstance), Reject, Doubt), cancellationToken).ConfigureAwait(false);
                    break;
                case CatalogServicesDependency:
                    await FollowAsync(dependency, (options, ct) => _client.Catalog.ServicesAsync(options, ct),
                        services => UntrustedAnswers.Services(services.Select(pair => new TemplateCatalogService(pair.Key, pair.Value)), Reject), cancellationToken).ConfigureAwait(false);
                    break;
                case KeyDependency key:
                    await FollowAsync(dependency, (options, ct) => _client.KV.GetAsync(key.Path, options, ct),
                        pair => UntrustedAnswers.KeyValue(key.Path, pair?.ValueAsString(), Reject), cancellationToken).ConfigureAwait(false);
                    break;
                case KeyListDependency list:
                    await FollowAsync(dependency, (options, ct) => _client.KV.ListAsync(list.Prefix, options, ct),
                        pairs => pairs.Select(ConsulAnswers.ToKeyPair).ToArray(), cancellationToken).ConfigureAwait(false);
                    break;
                case CatalogNodesDependency:
                    await FollowAsync(dependency, (options, ct) => _client.Catalog.NodesAsync(options, ct),
                        nodes => UntrustedAnswers.Nodes(nodes.Select(ConsulAnswers.ToNode), Reject), cancellationToken).ConfigureAwait(false);
                    break;
                case CatalogNodeDependency node:
                    var name = node.Name.Length > 0 ? node.Name : await LocalNodeNameAsync(dependency, cancellationToken).ConfigureAwait(false);
                    await FollowAsync(dependency, (options, ct) => _client.Catalog.NodeAsync(name, options, ct),
                        node => UntrustedAnswers.CatalogNode(ConsulAnswers.ToCatalogNode(node), Reject), cancellationToken).ConfigureAwait(false);
                    break;
                case DatacentersDependency datacenters:
                    await PollDatacentersAsync(datacenters, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    Log.NoWatch(_logger, dependency.ToString());
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Follows one query. After a failed query the watch starts over with a non-blocking read: a
    /// restarted Consul's index starts low, and a blocking query on the old, higher index would
    /// hang until its wait ran out (a minute blind to every change). For the same reason the
    /// client must not retry reads itself (<see cref="ConsulClientOptions.ReadRetry"/> none): a long
    /// poll cut by the restart and silently sent again would carry the old index. Failed starts
    /// back off through the shared <see cref="ConsulRetry"/> policy, from its first delay again
    /// once a start got an answer.
    /// </summary>
    private async Task FollowAsync<T>(
        TemplateDependency dependency,
        Func<QueryOptions, CancellationToken, Task<QueryResult<T>>> query,
        Func<T, object?> map,
        CancellationToken cancellationToken)
    {
        ulong lastIndex = 0;
        var restarts = Retries(dependency);
        while (true)
        {
            await restarts.ExecuteAsync(
                async ct =>
                {
                    ConsulException? failure = null;
                    var answered = false;
                    using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct))
                    {
                        try
                        {
                            var results = BlockingWatch.WatchAsync(query, _baseOptions, _watchOptions, (error, _) =>
                            {
                                failure = error as ConsulException;
                                attempt.Cancel();
                            }, _time, attempt.Token);
                            await foreach (var result in results.ConfigureAwait(false))
                            {
                                answered = true;
                                if (Interlocked.Exchange(ref _consecutiveErrors, 0) > 0)
                                {
                                    Log.ConsulAnswersAgain(_logger, dependency.ToString());
                                }

                                if (!result.KnownLeader || result.LastIndex < lastIndex)
                                {
                                    MarkDisturbance(); // leaderless, or a restarted/restored state: smaller answers are suspect for a while
                                }

                                lastIndex = result.LastIndex;
                                Offer(dependency, new Answer(map(result.Value), result.LastIndex, result.KnownLeader, Interlocked.Increment(ref _answers)), ct);
                            }
                        }
                        catch (OperationCanceledException) when (failure is not null && !ct.IsCancellationRequested)
                        {
                        }
                    }

                    // A watch that answered before it failed starts over at once (backoff from the
                    // first delay); one that failed straight away is retried after the policy's delay.
                    if (!answered)
                    {
                        throw failure!;
                    }

                    OnError(dependency, failure!, TimeSpan.Zero);
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PollDatacentersAsync(DatacentersDependency dependency, CancellationToken cancellationToken)
    {
        var retry = Retries(dependency);
        while (true)
        {
            var names = await retry.ExecuteAsync(
                async ct =>
                {
                    var all = await _client.Catalog.DatacentersAsync(ct).ConfigureAwait(false);
                    return dependency.IgnoreFailing ? await AnsweringDatacentersAsync(all, ct).ConfigureAwait(false) : all;
                },
                cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _consecutiveErrors, 0);
            Offer(dependency, new Answer(names.ToArray(), 0, KnownLeader: true, Interlocked.Increment(ref _answers)), cancellationToken);
            await Task.Delay(DatacentersPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>consul-template's <c>datacenters true</c>: only datacenters that answer a consistent read.</summary>
    private async Task<IReadOnlyList<string>> AnsweringDatacentersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var answering = new List<string>();
        foreach (var name in names)
        {
            try
            {
                await _client.Catalog.ServicesAsync(_baseOptions with { Datacenter = name, Consistency = ConsistencyMode.Consistent }, cancellationToken).ConfigureAwait(false);
                answering.Add(name);
            }
            catch (ConsulException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        return answering;
    }

    /// <summary>consul-template's <c>node</c> without a name is the node of the agent it talks to.</summary>
    private async Task<string> LocalNodeNameAsync(TemplateDependency dependency, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _localNodeName) is { } known)
        {
            return known;
        }

        var self = await Retries(dependency).ExecuteAsync(async ct => await _client.Agent.SelfAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _localNodeName, self.Config.NodeName);
        return self.Config.NodeName;
    }

    /// <summary>The shared retry policy with the watch's limits, reporting each failure for this dependency.</summary>
    private ResiliencePipeline Retries(TemplateDependency dependency) =>
        ConsulRetry.Create(_watchOptions.Retry, _time, (error, delay) => OnError(dependency, error, delay));
}
