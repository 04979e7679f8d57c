using System.Globalization;

namespace Discovery.Core.Lab;

/// <summary>
/// Prometheus in the lab (`lab up --prometheus`, on when the binary is there): on the load balancer's
/// loopback address, data under the state folder, targets found through Consul (consul_sd_configs
/// with the least-privilege prometheus token): the node agents (service discovery-agent) and the
/// renderer (service lb) at the address in their meta <c>metrics</c>, the app instances (tag
/// discovery) at their own address; the scalers register no service, so they are listed; nginx
/// through prometheus-nginx-exporter (which reads stub_status, so it adds one request per scrape to
/// what the scaler sees — 4 a minute at the 15 s interval used here).
/// </summary>
internal sealed class LabPrometheus(LabOptions options, LabTopology topology, LabConfigFiles files)
{
    public string Directory => Path.Combine(files.StateDirectory, "prometheus");

    public string ConfigFile => Path.Combine(Directory, "prometheus.yml");

    public Uri Url => new($"http://{topology.LoadBalancer.Address}:{LabHost.PrometheusPort}/");

    public string ExporterAddress => $"{topology.LoadBalancer.Address}:{LabHost.NginxExporterPort}";

    /// <summary>Two queries worth trying, for the banner.</summary>
    public static IReadOnlyList<string> Queries { get; } =
    [
        "sum by (app) (rate(discovery_scaler_decisions_total[5m]))",
        "sum by (instance) (discovery_instance_rss_bytes) / 2^20",
    ];

    public IReadOnlyList<string> PrometheusArgs() =>
    [
        "--config.file=" + ConfigFile,
        "--storage.tsdb.path=" + Path.Combine(Directory, "data"),
        "--storage.tsdb.retention.time=1d",
        "--web.listen-address=" + $"{topology.LoadBalancer.Address}:{LabHost.PrometheusPort}",
        "--log.level=warn",
    ];

    public IReadOnlyList<string> ExporterArgs() =>
    [
        "-nginx.scrape-uri=" + topology.StubStatusAddress,
        "-web.listen-address=" + ExporterAddress,
    ];

    public void Write(string token)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
        var consul = $"{topology.LoadBalancer.Address}:{LabHost.HttpPort}";
        var scalers = string.Join(", ", topology.AppNodes.Where(node => node.RunsScaler).Select(node => $"\"{node.Address}:{LabHost.ScalerMonitoringPort}\""));
        var text = string.Create(CultureInfo.InvariantCulture, $$"""
            # Written by `agent lab up` (LabPrometheus). Holds the lab's read-only prometheus token.
            global:
              scrape_interval: 15s
              evaluation_interval: 15s
            scrape_configs:
              # Node agents and renderers: found in Consul, scraped at their meta "metrics" address.
              - job_name: discovery
                consul_sd_configs:
                  - server: "{{consul}}"
                    token: "{{token}}"
                    datacenter: {{options.Datacenter}}
                    services: [discovery-agent, lb]
                relabel_configs:
                  - source_labels: [__meta_consul_service_metadata_metrics]
                    regex: ""
                    action: drop
                  - source_labels: [__meta_consul_service_metadata_metrics]
                    target_label: __address__
                  - source_labels: [__meta_consul_service]
                    target_label: daemon
                  - source_labels: [__meta_consul_node]
                    target_label: node
              # App instances (tag discovery): the sample app's request metrics.
              - job_name: app
                consul_sd_configs:
                  - server: "{{consul}}"
                    token: "{{token}}"
                    datacenter: {{options.Datacenter}}
                    tags: [discovery]
                relabel_configs:
                  - source_labels: [__meta_consul_service]
                    target_label: app
                  - source_labels: [__meta_consul_service_metadata_node]
                    target_label: node
              # Scalers register no service of their own.
              - job_name: scaler
                static_configs:
                  - targets: [{{scalers}}]
              - job_name: nginx
                static_configs:
                  - targets: ["{{ExporterAddress}}"]
            """);
        LabConfigFiles.WriteSecret(ConfigFile, text + "\n"); // it holds a token
    }
}
