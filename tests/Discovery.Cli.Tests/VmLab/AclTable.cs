using System.Text;
using static Discovery.Cli.Tests.VmLab.AclExpectation;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// Who can do what, role by role: every row is a real API call with a role's token against a real
/// Consul holding the policies both labs load (<see cref="AclPolicyTests"/>), and README.md's
/// "Who can do what" table is generated from these rows (<see cref="ToMarkdown"/>; a test fails
/// when the README drifts). Rows are attacks as much as duties: each role trying the other roles' jobs.
/// </summary>
public static class AclTable
{
    private const string Believable = "Consul grants service:write per service name, on any node. The renderer routes only believable instances (README, Data path), so the fake never reaches nginx";

    public static readonly IReadOnlyList<AclTableRow> Rows =
    [
        // Node agent: its own instances and itself; reads what tells it what to run; no KV writes.
        new("node-agent", "register an instance of its app on its agent", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-{node}-9000","Port":9000}""", Allowed),
        new("node-agent", "register itself (`discovery-agent`)", "PUT", "/v1/agent/service/register", """{"Name":"discovery-agent","ID":"discovery-agent-{node}"}""", Allowed),
        new("node-agent", "register an app it was not given (`api`)", "PUT", "/v1/agent/service/register", """{"Name":"api","ID":"api-{node}-9000"}""", Denied),
        new("node-agent", "register a load balancer (`lb`)", "PUT", "/v1/agent/service/register", """{"Name":"lb","ID":"lb-fake"}""", Denied),
        new("node-agent", "re-register another node's instance at a foreign address (catalog)", "PUT", "/v1/catalog/register", """{"Node":"{other}","Address":"10.99.0.2","Service":{"Service":"web","ID":"web-{other}-9000","Address":"6.6.6.6","Port":9000}}""", AllowedConsulCannotPrevent, Believable),
        new("node-agent", "change another node's address (catalog)", "PUT", "/v1/catalog/register", """{"Node":"{other}","Address":"6.6.6.6","Service":{"Service":"web","ID":"web-{other}-9001","Port":9001}}""", Denied),
        new("node-agent", "read its placement", "GET", "/v1/kv/discovery/apps/web/placement/{node}", null, Allowed),
        new("node-agent", "write a placement", "PUT", "/v1/kv/discovery/apps/web/placement/{node}", "9", Denied),
        new("node-agent", "write the desired count", "PUT", "/v1/kv/discovery/apps/web/desired", "9", Denied),
        new("node-agent", "read a load balancer's routed set (drain)", "GET", "/v1/kv/discovery/lb/{lb}/routed", null, Allowed),
        new("node-agent", "write a load balancer's routed set", "PUT", "/v1/kv/discovery/lb/{lb}/routed", """{"instances":[]}""", Denied),
        new("node-agent", "create a session", "PUT", "/v1/session/create", """{"Node":"{node}","Checks":[]}""", Denied),
        new("node-agent", "list ACL tokens", "GET", "/v1/acl/tokens", null, Denied),
        new("node-agent", "register an instance of its other app (`todo`)", "PUT", "/v1/agent/service/register", """{"Name":"todo","ID":"todo-{node}-9100","Port":9100}""", Allowed),
        new("node-agent", "register a Postgres member (`pg`)", "PUT", "/v1/agent/service/register", """{"Name":"pg","ID":"pg-by-node-agent","Port":5432}""", Denied),
        new("node-agent", "write the Postgres cluster state", "PUT", "/v1/kv/discovery/pg/pg/state", "{}", Denied),

        // Node agent of a Postgres member: `pg` and its role check, the failover lock, the cluster's state and history.
        new("pg-node-agent", "register `pg` with its TTL role check", "PUT", "/v1/agent/service/register", """{"Name":"pg","ID":"pg-{node}","Port":5432,"Tags":["primary"],"Check":{"CheckID":"pg-{node}:role","TTL":"10s"}}""", Allowed),
        new("pg-node-agent", "register itself (`discovery-agent`)", "PUT", "/v1/agent/service/register", """{"Name":"discovery-agent","ID":"discovery-agent-{node}-pg"}""", Allowed),
        new("pg-node-agent", "register an app instance (`web`)", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-pg-node-agent"}""", Denied),
        new("pg-node-agent", "register a todo app instance", "PUT", "/v1/agent/service/register", """{"Name":"todo","ID":"todo-by-pg-node-agent"}""", Denied),
        new("pg-node-agent", "create a session on its node (failover lock)", "PUT", "/v1/session/create", """{"Node":"{node}","Checks":[]}""", Allowed),
        new("pg-node-agent", "pass its node-level TTL check", "PUT", "/v1/agent/check/register", """{"ID":"pg-leader-alive","Name":"pg failover leader alive","TTL":"10s"}""", Allowed),
        new("pg-node-agent", "write the cluster state", "PUT", "/v1/kv/discovery/pg/pg/state", """{"generation":1}""", Allowed),
        new("pg-node-agent", "write a cluster history entry", "PUT", "/v1/kv/discovery/pg/pg/history/000000000001", "{}", Allowed),
        new("pg-node-agent", "read a switchover request", "GET", "/v1/kv/discovery/pg-requests/pg/switchover", null, Allowed),
        new("pg-node-agent", "write a switchover request", "PUT", "/v1/kv/discovery/pg-requests/pg/switchover", """{"to":"{node}"}""", Denied),
        new("pg-node-agent", "write a placement", "PUT", "/v1/kv/discovery/apps/web/placement/{node}", "1", Denied),
        new("pg-node-agent", "write a load balancer's routed set", "PUT", "/v1/kv/discovery/lb/{lb}/routed", """{"instances":[]}""", Denied),

        // Todo app: reads `pg` health only (AclPolicyTests shows what it sees); writes nothing.
        new("todo-app", "read the Postgres cluster state", "GET", "/v1/kv/discovery/pg/pg/state", null, Denied),
        new("todo-app", "read the desired count", "GET", "/v1/kv/discovery/apps/web/desired", null, Denied),
        new("todo-app", "register a todo app instance", "PUT", "/v1/agent/service/register", """{"Name":"todo","ID":"todo-by-todo-app"}""", Denied),
        new("todo-app", "register a Postgres member", "PUT", "/v1/agent/service/register", """{"Name":"pg","ID":"pg-by-todo-app"}""", Denied),
        new("todo-app", "create a session", "PUT", "/v1/session/create", """{"Node":"{node}","Checks":[]}""", Denied),
        new("todo-app", "request a Postgres switchover", "PUT", "/v1/kv/discovery/pg-requests/pg/switchover", """{"to":"{node}"}""", Denied),

        // Scaler: discovery/apps/ (its decisions and state), sessions on its own node only.
        new("scaler", "write the desired count", "PUT", "/v1/kv/discovery/apps/web/desired", "3", Allowed),
        new("scaler", "write a placement", "PUT", "/v1/kv/discovery/apps/web/placement/{node}", "3", Allowed),
        new("scaler", "write a history entry", "PUT", "/v1/kv/discovery/apps/web/history/00000001", "{}", Allowed),
        new("scaler", "write the scaler state", "PUT", "/v1/kv/discovery/apps/web/scaler-state", "{}", Allowed),
        new("scaler", "create a session on its own node (leader lock)", "PUT", "/v1/session/create", """{"Node":"{node}","Checks":[]}""", Allowed),
        new("scaler", "create a session on another node", "PUT", "/v1/session/create", """{"Node":"{other}","Checks":[]}""", Denied),
        new("scaler", "destroy another node's session (steal a lock)", "PUT", "/v1/session/destroy/{session}", null, Denied),
        new("scaler", "read who holds the locks", "GET", "/v1/session/list", null, Allowed),
        new("scaler", "pass its own node-level TTL check", "PUT", "/v1/agent/check/register", """{"ID":"scaler-alive","Name":"scaler alive","TTL":"10s"}""", Allowed),
        new("scaler", "add a check to another node (catalog)", "PUT", "/v1/catalog/register", """{"Node":"{other}","Address":"10.99.0.2","Check":{"CheckID":"fake","Name":"fake","Status":"critical"}}""", Denied),
        new("scaler", "register an app instance", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-scaler"}""", Denied),
        new("scaler", "write the default app", "PUT", "/v1/kv/discovery/lb/default-app", "web", Denied),
        new("scaler", "write a load balancer's routed set", "PUT", "/v1/kv/discovery/lb/{lb}/routed", """{"instances":[]}""", Denied),
        new("scaler", "read the `lb` services (stub_status)", "GET", "/v1/catalog/service/lb", null, Allowed),
        new("scaler", "write the Postgres cluster state", "PUT", "/v1/kv/discovery/pg/pg/state", "{}", Denied),
        new("scaler", "request a Postgres switchover", "PUT", "/v1/kv/discovery/pg-requests/pg/switchover", """{"to":"{node}"}""", Denied),

        // Renderer: the `lb` service and its own discovery/lb/<lb>/ folder.
        new("renderer", "register `lb` with its TTL check", "PUT", "/v1/agent/service/register", """{"Name":"lb","ID":"lb-{lb}","Port":80,"Meta":{"stub_status":"http://127.0.0.1:8090/nginx_status"},"Check":{"CheckID":"lb-{lb}-alive","TTL":"10s"}}""", Allowed),
        new("renderer", "register `lb` under another load balancer's ID", "PUT", "/v1/agent/service/register", """{"Name":"lb","ID":"lb-other","Port":80}""", AllowedConsulCannotPrevent, "service:write is per name, not per ID. No effect on routing: `lb` is only read by scalers, for request rates (a wrong stub_status URL skews one input)"),
        new("renderer", "register an app instance", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-renderer"}""", Denied),
        new("renderer", "write its own routed set", "PUT", "/v1/kv/discovery/lb/{lb}/routed", """{"instances":[],"at":"2026-01-01T00:00:00Z"}""", Allowed),
        new("renderer", "write another load balancer's routed set", "PUT", "/v1/kv/discovery/lb/other-lb/routed", """{"instances":[]}""", Denied),
        new("renderer", "write the default app", "PUT", "/v1/kv/discovery/lb/default-app", "evil", Denied),
        new("renderer", "read the default app", "GET", "/v1/kv/discovery/lb/default-app", null, Allowed),
        new("renderer", "write the desired count", "PUT", "/v1/kv/discovery/apps/web/desired", "9", Denied),
        new("renderer", "write a placement", "PUT", "/v1/kv/discovery/apps/web/placement/{node}", "9", Denied),
        new("renderer", "create a session", "PUT", "/v1/session/create", """{"Node":"{node}","Checks":[]}""", Denied),
        new("renderer", "write the Postgres cluster state", "PUT", "/v1/kv/discovery/pg/pg/state", "{}", Denied),

        // Operator: desired, hold, policy, autoscale (+ a Postgres switchover request); reads for status.
        new("operator", "write the desired count", "PUT", "/v1/kv/discovery/apps/web/desired", "4", Allowed),
        new("operator", "write a hold", "PUT", "/v1/kv/discovery/apps/web/hold", """{"count":4}""", Allowed),
        new("operator", "write the app's policy", "PUT", "/v1/kv/discovery/apps/web/policy", "{}", Allowed),
        new("operator", "pause autoscaling", "PUT", "/v1/kv/discovery/apps/web/autoscale", "off", Allowed),
        new("operator", "request a Postgres switchover", "PUT", "/v1/kv/discovery/pg-requests/pg/switchover", "{}", Allowed),
        new("operator", "write a placement", "PUT", "/v1/kv/discovery/apps/web/placement/{node}", "9", Denied),
        new("operator", "write a history entry (fake a decision)", "PUT", "/v1/kv/discovery/apps/web/history/00000002", "{}", Denied),
        new("operator", "write the scaler state", "PUT", "/v1/kv/discovery/apps/web/scaler-state", "{}", Denied),
        new("operator", "write the leader key", "PUT", "/v1/kv/discovery/apps/web/leader", "me", Denied),
        new("operator", "write the desired count of an app it was not given (`api`)", "PUT", "/v1/kv/discovery/apps/api/desired", "4", Denied),
        new("operator", "read the Postgres cluster state (status)", "GET", "/v1/kv/discovery/pg/pg/state", null, Allowed),
        new("operator", "write the Postgres cluster state", "PUT", "/v1/kv/discovery/pg/pg/state", "{}", Denied),
        new("operator", "write the Postgres failover leader key", "PUT", "/v1/kv/discovery/pg/pg/leader", "me", Denied),
        new("operator", "write the default app", "PUT", "/v1/kv/discovery/lb/default-app", "evil", Denied),
        new("operator", "write a load balancer's routed set", "PUT", "/v1/kv/discovery/lb/{lb}/routed", """{"instances":[]}""", Denied),
        new("operator", "read a load balancer's routed set (status)", "GET", "/v1/kv/discovery/lb/{lb}/routed", null, Allowed),
        new("operator", "read the Raft peers (status)", "GET", "/v1/operator/raft/configuration", null, Allowed),
        new("operator", "register an app instance", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-operator"}""", Denied),
        new("operator", "create a session", "PUT", "/v1/session/create", """{"Node":"{node}","Checks":[]}""", Denied),
        new("operator", "list ACL tokens", "GET", "/v1/acl/tokens", null, Denied),

        // A Consul agent's own token (node identity) and no token at all.
        new("consul-agent", "a check on its own node", "PUT", "/v1/agent/check/register", """{"ID":"node-check","Name":"node check","TTL":"10s"}""", Allowed),
        new("consul-agent", "write the desired count", "PUT", "/v1/kv/discovery/apps/web/desired", "9", Denied),
        new("consul-agent", "register an app instance", "PUT", "/v1/agent/service/register", """{"Name":"web","ID":"web-by-agent"}""", Denied),
        new("anonymous", "read the desired count", "GET", "/v1/kv/discovery/apps/web/desired", null, Denied),
        new("anonymous", "write the desired count", "PUT", "/v1/kv/discovery/apps/web/desired", "9", Denied),
    ];

    public static AclTableRow Find(string role, string attempt) =>
        Rows.Single(row => row.Role == role && row.Attempt == attempt);

    /// <summary>The README's table: one line per row, in table order.</summary>
    public static string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| token | tries to | Consul says |\n|---|---|---|\n");
        foreach (var row in Rows)
        {
            var answer = row.Expect switch
            {
                Allowed => "allowed",
                Denied => "**denied**",
                _ => "allowed — Consul cannot prevent it: " + row.Note,
            };
            text.Append($"| {row.Role} | {row.Attempt} | {answer} |\n");
        }

        return text.ToString();
    }
}
