using System.Globalization;
using System.Net;
using Discovery.Core.Configuration;

namespace Discovery.Core.Observability;

/// <summary>Binds the <c>monitoring:</c> map that the node, scaler and renderer configs share.</summary>
internal static class MonitoringConfigBinder
{
    /// <summary>null when the map is absent (no listener).</summary>
    public static MonitoringConfig? Bind(ConfigMapReader? monitoring)
    {
        if (monitoring is null)
        {
            return null;
        }

        var listen = monitoring.RequiredString("listen");
        var staleAfter = monitoring.Duration("consulStaleAfter", MonitoringConfig.DefaultConsulStaleAfter);
        monitoring.ReportUnknownKeys();
        if (listen.Length == 0)
        {
            return null;
        }

        var colon = listen.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(listen[..colon], out var address)
            || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(listen[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            monitoring.AddError("listen", $"\"{listen}\" is not an IPv4 address and port such as 127.0.0.1:9470");
            return null;
        }

        return new MonitoringConfig(address.ToString(), port, staleAfter);
    }
}
