namespace Discovery.Core.Tests.Rendering.Peers;

/// <summary>
/// One line each, valid or not, with the reason an invalid one must give. Both the C# parser and
/// nginx's Lua parser (pushed to a real nginx) are held to this one table, so they cannot drift.
/// </summary>
public static class PeerLineCases
{
    public static TheoryData<string, string?> All() => new()
    {
        { "web 127.0.0.21:9000 1 web-node-1-9000", null },
        { "web 10.0.0.1:65535 1000 web-a", null },
        { "my_app.v2 192.168.1.7:1 7 x", null },
        { "web [::1]:9000 1 web-v6", null },
        { "web [fd00::5]:9001 3 web-v6-2", null },
        { "web [2001:db8:0:0:0:0:0:1]:80 1 full-v6", null },
        { "web [::ffff:10.0.0.1]:80 1 mapped-v6", null },
        { "web 127.0.0.1:08080 1 leading-zero-port", null },
        { "web 127.0.0.1:9000 0001 leading-zero-weight", null },
        { "web 127.0.0.1:9000 1", "expected '<app> <address>:<port> <weight> <instance-id>'" },
        { "web 127.0.0.1 1 no-port", "expected '<app> <address>:<port> <weight> <instance-id>'" },
        { "web  127.0.0.1:9000 1 two-spaces", "expected '<app> <address>:<port> <weight> <instance-id>'" },
        { "web\t127.0.0.1:9000 1 tab", "expected '<app> <address>:<port> <weight> <instance-id>'" },
        { "web 127.0.0.1:9000 1 id extra", "expected '<app> <address>:<port> <weight> <instance-id>'" },
        { "-web 127.0.0.1:9000 1 x", "invalid app name" },
        { "we;b 127.0.0.1:9000 1 x", "invalid app name" },
        { "web localhost:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web 256.0.0.1:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web 127.0.0.01:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web 127.0.0:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web ::1:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web [1:::2]:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web [1::2::3]:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web [1:2:3:4:5:6:7:8:9]:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web [12345::1]:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web [::ffff:10.0.0.256]:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web [fe80::1%eth0]:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web 127.0.0.1:0 1 x", "port out of range 1-65535" },
        { "web 127.0.0.1:65536 1 x", "port out of range 1-65535" },
        { "web 127.0.0.1:000080 1 x", "port out of range 1-65535" },
        { "web 127.0.0.1:9000 0 x", "weight out of range 1-1000" },
        { "web 127.0.0.1:9000 1001 x", "weight out of range 1-1000" },
        { "web 127.0.0.1:9000 1 bad/id", "invalid instance id" },
        { "web 127.0.0.1:9000 1 " + new string('i', 129), "invalid instance id" },
        { "web 127.0.0.1:9000 1 " + new string('i', 600), "line longer than 512 bytes" },
        // Issue 12: what a hostile catalog entry would put into a line if a template printed it unchecked.
        { "web; 127.0.0.1:9000 1 x", "invalid app name" },
        { "web{ 127.0.0.1:9000 1 x", "invalid app name" },
        { "\"web\" 127.0.0.1:9000 1 x", "invalid app name" },
        { "w\u00e9b 127.0.0.1:9000 1 x", "invalid app name" },
        { new string('a', 129) + " 127.0.0.1:9000 1 x", "invalid app name" },
        { "web 127.0.0.1:9000 1 x;", "invalid instance id" },
        { "web 127.0.0.1:9000 1 x}", "invalid instance id" },
        { "web 127.0.0.1:9000 1 x#y", "invalid instance id" },
        { "web 127.0.0.1:9000 1 'x'", "invalid instance id" },
        { "web [::1]]:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web [::1]:1;max_fails=0:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web ::1]:1:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web 127.0.0.1;:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web {127.0.0.1}:9000 1 x", "address is not an IPv4 literal or a bracketed IPv6 literal" },
        { "web 6.6.6.6:80 1 evil # comment", "expected '<app> <address>:<port> <weight> <instance-id>'" },
        { "web 127.0.0.1:9000 1 max_fails=0;", "invalid instance id" },
    };
}
