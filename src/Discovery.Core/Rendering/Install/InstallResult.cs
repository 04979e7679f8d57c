namespace Discovery.Core.Rendering.Install;

/// <summary>What one attempt to install rendered output did.</summary>
internal enum InstallResult
{
    /// <summary>Identical to the installed file: nothing written, nothing reloaded.</summary>
    Unchanged,

    /// <summary>Validated and installed; nginx was not running, so nothing was reloaded.</summary>
    Installed,

    /// <summary>Validated, installed and nginx reloaded.</summary>
    InstalledAndReloaded,

    /// <summary>Rejected or failed; the last good file is still in place.</summary>
    Failed,
}
