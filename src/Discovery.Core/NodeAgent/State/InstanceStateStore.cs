using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.NodeAgent.State;

/// <summary>
/// The live set of instance records, persisted on every change. <see cref="Track"/> wires a
/// supervisor in: Running writes the (new) pid, Stopped removes the record. An abandoned supervisor
/// (agent crash) raises neither, so its record stays for the next run to adopt.
/// </summary>
public sealed class InstanceStateStore
{
    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly object _lock = new();
    private readonly Dictionary<string, InstanceRecord> _records;

    private InstanceStateStore(string path, TimeProvider timeProvider, IEnumerable<InstanceRecord> records)
    {
        _path = path;
        _timeProvider = timeProvider;
        _records = records.ToDictionary(record => record.InstanceId);
    }

    public static InstanceStateStore Open(string path, TimeProvider timeProvider) =>
        new(path, timeProvider, InstanceStateFile.Load(path));

    public IReadOnlyList<InstanceRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return _records.Values.OrderBy(record => record.InstanceId, StringComparer.Ordinal).ToList();
            }
        }
    }

    public void Upsert(InstanceRecord record) => Change(records => records[record.InstanceId] = record);

    public void Remove(string instanceId) => Change(records => records.Remove(instanceId));

    public void Track(InstanceSupervisor supervisor)
    {
        var spec = supervisor.Spec;
        supervisor.Changed += instanceEvent =>
        {
            switch (instanceEvent.Kind)
            {
                case InstanceEventKind.Running when instanceEvent.Process is { } process:
                    Upsert(new InstanceRecord(spec.App.Name, spec.InstanceId, spec.Port, process.Pid, process.StartTime, spec.LogPath, _timeProvider.GetUtcNow(), spec.App.Version));
                    break;
                case InstanceEventKind.Stopped:
                    Remove(spec.InstanceId);
                    break;
            }
        };
    }

    private void Change(Action<Dictionary<string, InstanceRecord>> change)
    {
        lock (_lock)
        {
            change(_records);
            InstanceStateFile.Save(_path, _records.Values.OrderBy(record => record.InstanceId, StringComparer.Ordinal).ToList());
        }
    }
}
