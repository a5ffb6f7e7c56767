using System.Collections.Concurrent;

namespace Oxidation.Git;

/// <summary>Commit readers (not thread-safe, one per thread) reused by the threads that take them; disposed with the pool.</summary>
internal sealed class ReaderPool(Func<CommitReader> create) : IDisposable
{
    private readonly ConcurrentBag<CommitReader> _idle = [];
    private readonly ConcurrentBag<CommitReader> _all = [];

    public CommitReader Take()
    {
        if (_idle.TryTake(out var reader))
            return reader;
        reader = create();
        _all.Add(reader);
        return reader;
    }

    public void Return(CommitReader reader) => _idle.Add(reader);

    public void Dispose()
    {
        foreach (var reader in _all)
            reader.Dispose();
    }
}
