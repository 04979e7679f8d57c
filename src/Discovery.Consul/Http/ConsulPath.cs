namespace Discovery.Consul.Http;

/// <summary>Escapes names and keys for use in an API path.</summary>
internal static class ConsulPath
{
    /// <summary>One path segment (service name, node, ID).</summary>
    public static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Uri.EscapeDataString(value);
    }

    /// <summary>A KV key: each segment escaped, slashes kept (a leading slash is dropped as Consul does).</summary>
    public static string Key(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return string.Join('/', key.TrimStart('/').Split('/').Select(Uri.EscapeDataString));
    }
}
