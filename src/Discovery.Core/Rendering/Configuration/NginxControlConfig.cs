namespace Discovery.Core.Rendering.Configuration;

/// <summary>The nginx the renderer validates against and reloads (<c>nginx -p Prefix -c Config</c>).</summary>
/// <param name="Binary">The nginx executable.</param>
/// <param name="Prefix">nginx's <c>-p</c> prefix (pid file and logs live under it).</param>
/// <param name="Config">The main nginx.conf that includes the rendered file.</param>
/// <param name="ReloadTimeout">Longest a validation or reload command may take before it is killed.</param>
/// <param name="PidFile">nginx's pid file; absent = nginx not running, so nothing to reload.</param>
public sealed record NginxControlConfig(string Binary, string Prefix, string Config, TimeSpan ReloadTimeout, string PidFile)
{
    public const string DefaultBinary = "/usr/sbin/nginx";

    public static readonly TimeSpan DefaultReloadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Where our nginx.conf puts the pid file (<c>pid logs/nginx.pid;</c>, relative to the prefix).</summary>
    public static string DefaultPidFile(string prefix) => System.IO.Path.Combine(prefix, "logs", "nginx.pid");
}
