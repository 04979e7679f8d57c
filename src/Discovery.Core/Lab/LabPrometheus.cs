using System.Globalization;

namespace Discovery.Core.Lab;

/// <summary>
/// Prometheus in the lab (`lab up --prometheus`, on when the binary is there): on the load balancer's
/// loopback address, data under the state folder, targets found through Consul: Debian's prometheus is
/// built without consul_sd_configs, so an `agent render` with the least-privilege prometheus token
/// renders them from the catalog into a file_sd file (<see cref="TargetsTemplate"/>): the node agents
/// (service discovery-agent) and the renderer (service lb) at the address in their meta <c>metrics</c>,
/// the app instances (tag discovery) at their own address; the scalers register no service, so they
/// are listed; nginx
/// through prometheus-nginx-exporter (which reads stub_status, so it adds one request per scrape to
/// what the scaler sees — 4 a minute at the 15 s interval used here).
/// </summary>
internal sealed class LabPrometheus(LabTopology topology, LabConfigFiles files)
{
    /// <summary>The shared template both labs render Prometheus' targets from.</summary>
    public const string TargetsTemplate = "prometheus/targets.yml.ctmpl";

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
        // nginx starts a moment before; without retries the exporter exits at once.
        "-nginx.retries=30",
        "-nginx.retry-interval=1s",
    ];

    public string TargetsFile => Path.Combine(Directory, "targets.yml");

    public string TargetsRendererConfig => Path.Combine(Directory, "targets-renderer.hcl");

    /// <summary>Writes prometheus.yml and the config of the renderer that keeps <see cref="TargetsFile"/> in step with Consul.</summary>
    public void Write(string token)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
        var scalers = string.Join(", ", topology.AppNodes.Where(node => node.RunsScaler).Select(node => $"\"{node.Address}:{LabHost.ScalerMonitoringPort}\""));
        File.WriteAllText(ConfigFile, string.Create(CultureInfo.InvariantCulture, $$"""
            # Written by `agent lab up` (LabPrometheus).
            global:
              scrape_interval: 15s
              evaluation_interval: 15s
            scrape_configs:
              # Node agents, renderers, app instances: rendered from the Consul catalog (prometheus/targets.yml.ctmpl).
              - job_name: discovery
                file_sd_configs:
                  - files: ["{{TargetsFile}}"]
              # Scalers register no service of their own.
              - job_name: scaler
                static_configs:
                  - targets: [{{scalers}}]
                    labels: {daemon: scaler}
              - job_name: nginx
                static_configs:
                  - targets: ["{{ExporterAddress}}"]
                    labels: {daemon: nginx}

            """));
        // consul-template's HCL form: an HCL config registers nothing and publishes nothing (just the file).
        LabConfigFiles.WriteSecret(TargetsRendererConfig, string.Create(CultureInfo.InvariantCulture, $$"""
            # Written by `agent lab up` (LabPrometheus): Prometheus' targets from the Consul catalog, with the read-only prometheus token.
            consul {
              address = "{{topology.LoadBalancer.HttpAddress}}"
              token   = "{{token}}"
            }
            wait {
              min = "200ms"
              max = "1s"
            }
            template {
              source      = "{{files.Shared(TargetsTemplate)}}"
              destination = "{{TargetsFile}}"
            }

            """));
    }
}
