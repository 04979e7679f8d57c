using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Rendering.Commands;

/// <summary>
/// The nginx target's command: <c>nginx -s reload</c>, or nothing while nginx is not running yet
/// (the lab starts the renderer before nginx; nginx reads the file when it starts).
/// </summary>
internal sealed record NginxReloadCommand(NginxControlConfig Nginx) : IRenderCommand
{
    public string Description => $"nginx -s reload ({Nginx.Config})";

    public Task<CommandResult> RunAsync(CancellationToken cancellationToken)
    {
        var nginx = new NginxController(Nginx);
        return nginx.IsRunning()
            ? nginx.ReloadAsync(cancellationToken)
            : Task.FromResult(CommandResult.Skipped("nginx is not running: nothing to reload"));
    }
}
