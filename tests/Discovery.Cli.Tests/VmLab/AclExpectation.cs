namespace Discovery.Cli.Tests.VmLab;

/// <summary>What Consul must answer to one row of <see cref="AclTable"/>.</summary>
public enum AclExpectation
{
    /// <summary>The call succeeds (a GET of a key nobody wrote is 404: permitted, just empty).</summary>
    Allowed,

    /// <summary>403: the token's policies do not grant it.</summary>
    Denied,

    /// <summary>
    /// The call succeeds because Consul's ACL model cannot express the restriction; the row's note
    /// says why it still does not change routing (or what it can change).
    /// </summary>
    AllowedConsulCannotPrevent,
}
