using System.Net;
using System.Net.Sockets;

namespace Discovery.Core.Lab;

/// <summary>
/// Everything `lab up` checks before it starts anything: a lab not already running, the binaries
/// present, and every address:port the lab binds free (TCP, and UDP for serf). Throws one
/// <see cref="LabPreflightException"/> naming the first problem.
/// </summary>
internal static class LabPreflight
{
    public static void Check(LabOptions options, LabTopology topology, LabConfigFiles files)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new LabPreflightException(string.Join("; ", errors));
        }

        if (LabState.TryLoad(files.StateFile) is { } existing && existing.Processes.Any(IsRunning))
        {
            throw new LabPreflightException($"a lab is already running (state in {files.StateFile}); stop it with `agent lab down`");
        }

        RequireFile(options.ConsulBinary, "consul binary (run the repo's setup script, or set DISCOVERY_CONSUL)");
        foreach (var shared in SharedFiles(options))
        {
            if (!Directory.Exists(files.Shared(shared)))
            {
                RequireFile(files.Shared(shared), "shared lab file");
            }
        }

        if (!options.ConsulOnly)
        {
            RequireFile(options.NginxBinary, "nginx (Debian package nginx-light)");
            RequireFile(options.WebAppAssembly ?? "", "sample app (dotnet build src/Discovery.WebApp)");
            if (options.WithPostgres)
            {
                RequireFile(Path.Combine(options.PostgresBinDir, "postgres"), "Postgres (Debian package postgresql-15; scripts/setup installs it)");
                RequireFile(options.TodoAppAssembly ?? "", "todo app (dotnet build src/Discovery.TodoApp)");
            }
        }

        foreach (var host in topology.All)
        {
            foreach (var port in host.Ports)
            {
                if (!IsFree(host.Address, port, udp: port is LabHost.SerfLanPort or LabHost.SerfWanPort))
                {
                    throw new LabPreflightException($"{host.Address}:{port} ({host.Name}) is already in use; is another lab or Consul running? (`agent lab down`, or --base-address)");
                }
            }
        }
    }

    /// <summary>The shared repository files this lab run uses (all of them unless Consul only).</summary>
    public static IEnumerable<string> SharedFiles(LabOptions options) =>
        options.ConsulOnly
            ? [LabConfigFiles.ServerConfig, LabConfigFiles.ClientConfig, .. LabConfigFiles.AclPolicies.Values]
            : [LabConfigFiles.ServerConfig, LabConfigFiles.ClientConfig, .. LabConfigFiles.AclPolicies.Values, LabConfigFiles.NginxConfig, LabConfigFiles.UpstreamsTemplate, LabConfigFiles.PeersTemplate, LabConfigFiles.NginxLua];

    private static bool IsRunning(LabProcessRecord record) =>
        new Processes.ProcessIdentity(record.Pid, record.StartTime).IsRunning();

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new LabPreflightException($"missing {what}: '{path}' not found");
        }
    }

    private static bool IsFree(IPAddress address, int port, bool udp)
    {
        try
        {
            using (var listener = new TcpListener(address, port))
            {
                listener.Start();
            }

            if (udp)
            {
                using var client = new UdpClient(new IPEndPoint(address, port));
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
