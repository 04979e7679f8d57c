namespace Discovery.Core.Rendering.Peers;

/// <summary>What one attempt to hand nginx a peer set did.</summary>
internal enum PeerInstallResult
{
    /// <summary>nginx accepted the push and routes by it; its view was saved for its next start.</summary>
    Pushed,

    /// <summary>nginx is not running: the set was saved, and nginx loads it when it starts.</summary>
    Saved,

    /// <summary>Refused or not delivered; nginx keeps its last set and the saved file is unchanged.</summary>
    Failed,
}
