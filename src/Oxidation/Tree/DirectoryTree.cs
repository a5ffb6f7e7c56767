using System.Buffers;
using System.IO.Enumeration;

namespace Oxidation.Tree;

/// <summary>
/// An unpacked tree or git work tree. Lists the tree first (cheap, and it gives a total for progress),
/// then reads every file once with several threads: on this kind of machine opening a file costs
/// more than reading it, so reads are spread over the cores. Links are listed, never followed,
/// which also makes link loops harmless; <c>.git</c> is not descended into. An optional filter on relative
/// paths keeps files that are not wanted from being opened at all.
/// </summary>
public sealed class DirectoryTree(string root, Func<string, bool>? include = null) : ISourceTree
{
    private readonly string _root = Path.GetFullPath(root);

    /// <inheritdoc />
    public string Description => root;

    /// <inheritdoc />
    public void ReadAll(ISourceFileSink sink, int parallelism, CancellationToken cancellationToken)
    {
        var entries = List(sink);
        var total = entries.Sum(e => e.Size);
        long files = 0, bytes = 0;
        Parallel.ForEach(
            entries,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            entry =>
            {
                ReadOne(entry, sink);
                var f = Interlocked.Increment(ref files);
                var b = Interlocked.Add(ref bytes, entry.Size);
                if ((f & 255) == 0)
                    sink.Progress(f, b, total);
            });
        sink.Progress(files, bytes, total);
    }

    private List<Entry> List(ISourceFileSink sink)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        };
        var rootLength = _root.Length + 1;
        var enumerable = new FileSystemEnumerable<Entry?>(_root, (ref FileSystemEntry e) =>
        {
            var relative = e.ToFullPath()[rootLength..].Replace('\\', '/');
            if ((e.Attributes & FileAttributes.ReparsePoint) != 0)
                return new Entry(relative, 0, IsLink: true);
            if (e.IsDirectory || (include is not null && !include(relative)))
                return null;
            return new Entry(relative, e.Length, IsLink: false);
        }, options)
        {
            ShouldRecursePredicate = (ref FileSystemEntry e) =>
                (e.Attributes & FileAttributes.ReparsePoint) == 0 && !e.FileName.SequenceEqual(".git"),
        };
        var entries = new List<Entry>(100_000);
        try
        {
            foreach (var entry in enumerable)
            {
                if (entry is null)
                    continue;
                if (entry.IsLink)
                    sink.Link(entry.Path);
                else
                    entries.Add(entry);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            sink.Problem(".", $"listing stopped: {ex.Message}");
        }
        catch (IOException ex)
        {
            sink.Problem(".", $"listing stopped: {ex.Message}");
        }
        // A stable order makes per-file output and problems deterministic.
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    private void ReadOne(Entry entry, ISourceFileSink sink)
    {
        if (entry.Size > SourceTrees.MaxFileSize)
        {
            sink.Problem(entry.Path, $"larger than {SourceTrees.MaxFileSize / (1024 * 1024)} MiB ({entry.Size:N0} bytes); not counted");
            return;
        }
        byte[]? buffer = null;
        try
        {
            using var handle = File.OpenHandle(Path.Combine(_root, entry.Path), FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            var capacity = (int)Math.Max(entry.Size, 0) + 1;
            buffer = ArrayPool<byte>.Shared.Rent(capacity);
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
                if (read == 0)
                    break;
                length += read;
                if (length > SourceTrees.MaxFileSize)
                {
                    sink.Problem(entry.Path, $"grew past {SourceTrees.MaxFileSize / (1024 * 1024)} MiB while being read; not counted");
                    return;
                }
            }
            sink.File(new SourceFile(entry.Path, buffer.AsSpan(0, length)));
        }
        catch (UnauthorizedAccessException)
        {
            sink.Problem(entry.Path, "unreadable: permission denied");
        }
        catch (IOException ex)
        {
            sink.Problem(entry.Path, $"unreadable: {ex.Message}");
        }
        finally
        {
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed record Entry(string Path, long Size, bool IsLink);
}
