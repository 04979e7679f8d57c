using System.Net;
using Discovery.Testing.Network;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;

namespace Discovery.Testing.Nginx;

/// <summary>
/// A real nginx on its own loopback address serving <c>/stub_status</c> and a plain <c>/</c>,
/// in its own temp folder; dispose kills exactly this nginx (by pid) and removes the folder.
/// </summary>
public sealed class StubStatusNginx : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private StubStatusNginx(ChildProcess process, string directory, IPAddress address, int port)
    {
        _process = process;
        _directory = directory;
        BaseAddress = new Uri($"http://{address}:{port}");
    }

    public Uri BaseAddress { get; }

    public Uri StubStatusUrl => new(BaseAddress, "/stub_status");

    public static async Task<StubStatusNginx> StartAsync()
    {
        var address = LoopbackAddress.Allocate();
        var port = LoopbackAddress.FreePort(address);
        var directory = Path.Combine(Path.GetTempPath(), $"discovery-stub-nginx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        var config = $$"""
            daemon off;
            master_process off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/tmp/body;
              proxy_temp_path {{directory}}/tmp/proxy;
              fastcgi_temp_path {{directory}}/tmp/fastcgi;
              uwsgi_temp_path {{directory}}/tmp/uwsgi;
              scgi_temp_path {{directory}}/tmp/scgi;
              server {
                listen {{address}}:{{port}};
                location = /stub_status { stub_status; }
                location / { return 200 "ok\n"; }
              }
            }
            """;
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), config);
        var process = ChildProcess.Start(ToolPaths.Nginx, ["-p", directory, "-e", Path.Combine(directory, "error.log"), "-c", Path.Combine(directory, "nginx.conf")]);
        try
        {
            await process.WaitForTcpPortAsync(new IPEndPoint(address, port), TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new StubStatusNginx(process, directory, address, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder left behind is harmless
        }
    }
}
