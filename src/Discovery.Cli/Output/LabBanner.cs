using System.Globalization;
using Discovery.Core.Lab;

namespace Discovery.Cli.Output;

/// <summary>What `lab up` prints once the lab is healthy: where to look, how to log in, what to try.</summary>
internal static class LabBanner
{
    public static string Render(RunningLab lab, LabOptions options, TimeSpan took, bool detached)
    {
        var topology = lab.Topology;
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Lab is up in {took.TotalSeconds:F1}s: 3 Consul servers, {options.Nodes} nodes, {options.Scalers} scalers{(options.ConsulOnly ? " (Consul only)" : ", nginx + renderer")}."),
            $"  App:        {topology.AppAddress}",
            $"  Consul UI:  {topology.UiAddress}  (log in: paste the operator token from {lab.OperatorTokenFile})",
            $"  Operator:   `agent` commands here use the lab automatically; for the consul CLI: source {Path.Combine(lab.Files.StateDirectory, OperatorEnvironment.FileName)}",
            $"  Logs:       {lab.Files.LogDirectory}",
            $"  Scaler:     {(options.Fast ? "fast timings (--fast)" : "default timings")}: {options.ScalerTimings.Describe()}",
            "",
            "Things to try:",
            $"  1. agent load --url {topology.AppAddress} --rpm 1200 --duration 2m     # offered load above the threshold: watch it scale up",
            $"  2. agent scale {options.App} --to 5 --wait                                  # 5 instances routed",
            $"  3. kill -9 one instance (pids: agent status shows them) and watch it leave rotation and come back",
        };
        if (options.WithPostgres)
        {
            lines.InsertRange(6, Postgres(lab, options));
            var todo = $"curl -s -H 'Host: todo.lab' {topology.AppAddress}todos";
            var postmaster = Path.Combine(LabPostgres.DataDirectory(lab.Files.StateDirectory, topology.AppNodes[0].Name), "postmaster.pid");
            lines.AddRange(
            [
                $"  4. {todo} -H 'Content-Type: application/json' -d '{{\"title\":\"milk\"}}'   # a write (the primary); without -d: the list (a replica)",
                $"  5. kill -9 $(head -1 {postmaster})   # the primary dies: node-2 is promoted; writes answer 503 (retry) for a few seconds, then 201; agent pg status",
            ]);
        }

        lines.AddRange(
        [
            "",
            detached
                ? "Detached: the lab keeps running. `agent lab status` shows it, `agent lab down` stops it."
                : "Ctrl-C stops the lab and removes everything it started.",
        ]);
        return string.Join(Environment.NewLine, lines);
    }

    private static IEnumerable<string> Postgres(RunningLab lab, LabOptions options)
    {
        var members = lab.Topology.AppNodes.Where(node => node.RunsPostgres).ToList();
        yield return $"  Todo app:   {lab.Topology.AppAddress} with host todo.* (nginx routes it like web): curl -H 'Host: todo.lab' {lab.Topology.AppAddress}todos";
        yield return $"  Postgres:   primary {members[0].Name} ({members[0].Address}:{LabPostgres.Port}), replica {members[1].Name} ({members[1].Address}:{LabPostgres.Port}), " +
                     $"synchronousCommit {(options.PostgresSynchronousCommit ? "on" : "off")}; `agent pg status`, passwords in {Path.Combine(lab.Files.StateDirectory, "secrets")}";
    }
}
