using Discovery.Consul;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Rendering.Install;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Peers;

/// <summary>Builds the peer loop for a renderer config that has a <c>peers:</c> section.</summary>
internal static class PeerSetServiceFactory
{
    public static PeerSetService Create(
        RendererConfig config,
        CompiledTemplate template,
        string pushSecret,
        ConsulClient client,
        ConsulTemplateDataSource data,
        HttpClient http,
        ILoggerFactory loggers,
        TimeProvider time)
    {
        var peers = config.Peers ?? throw new ArgumentException("the renderer config has no peers section", nameof(config));
        var endpoint = new PeerEndpointClient(http, peers.Endpoint, pushSecret, peers.RequestTimeout, time);
        return new PeerSetService(
            template,
            data,
            new PeerSetInstaller(endpoint, new NginxController(config.Nginx), peers.Output),
            new QuiescenceWaiter(data, peers.Wait, time),
            peers.VerifyInterval,
            new RoutedInstancesPublisher(client, config.Prefix, config.Name, time),
            loggers.CreateLogger<PeerSetService>());
    }
}
