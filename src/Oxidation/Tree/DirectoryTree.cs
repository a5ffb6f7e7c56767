using System.Buffers;
using System.IO.Enumeration;
using System.Text;

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
        var total = entries.Sum(e => Math.Max(e.Size, 0));
        long files = 0, bytes = 0;
        Parallel.ForEach(
            entries,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            entry =>
            {
                ReadOne(entry, sink);
                var f = Interlocked.Increment(ref files);
                var b = Interlocked.Add(ref bytes, Math.Max(entry.Size, 0));
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
        // Directories holding names that are not UTF-8 (which .NET cannot open by the string it decoded): listed by bytes afterwards.
        var byBytes = new SortedSet<string>(StringComparer.Ordinal);
        var enumerable = new FileSystemEnumerable<Entry?>(_root, (ref FileSystemEntry e) =>
        {
            if (RawNames.MayDiffer(e.FileName))
            {
                byBytes.Add(e.Directory.ToString());
                return null;
            }
            var relative = Relative(e.ToFullPath()[rootLength..]);
            if ((e.Attributes & FileAttributes.ReparsePoint) != 0)
                return new Entry(relative, 0, IsLink: true);
            if (e.IsDirectory || (include is not null && !include(relative)))
                return null;
            return new Entry(relative, e.Length, IsLink: false);
        }, options)
        {
            ShouldRecursePredicate = (ref FileSystemEntry e) =>
                (e.Attributes & FileAttributes.ReparsePoint) == 0 && !e.FileName.SequenceEqual(".git") && !RawNames.MayDiffer(e.FileName),
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
            foreach (var directory in byBytes)
            {
                var relative = directory.Length < rootLength ? "" : Relative(directory[rootLength..]) + "/";
                ListByBytes(Encoding.UTF8.GetBytes(directory), relative, onlyOdd: true, entries, sink);
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
        // Names alike but for their invalid bytes are one path in results: which file it is cannot be said, so neither counts (as for a tar member given twice).
        var unique = new List<Entry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var same = i + 1;
            while (same < entries.Count && entries[same].Path == entries[i].Path)
                same++;
            if (same == i + 1)
            {
                unique.Add(entries[i]);
                continue;
            }
            sink.Problem(entries[i].Path, $"{same - i} names read the same once their bytes that are not UTF-8 are shown as U+FFFD; none counted");
            i = same - 1;
        }
        return unique;
    }

    /// <summary>Relative paths use <c>/</c>; only on Windows is a backslash a separator rather than part of a name.</summary>
    private static string Relative(string path) => Path.DirectorySeparatorChar == '\\' ? path.Replace('\\', '/') : path;

    /// <summary>Lists a directory by the bytes of its names (see <see cref="RawNames"/>): with <paramref name="onlyOdd"/>
    /// only the names .NET could not carry (the rest were listed already), then everything below them.</summary>
    private void ListByBytes(byte[] directory, string relative, bool onlyOdd, List<Entry> entries, ISourceFileSink sink)
    {
        foreach (var (name, kind) in RawNames.List(directory))
        {
            var display = RawNames.Display(name);
            if (onlyOdd && !RawNames.MayDiffer(display))
                continue;
            var path = relative + display;
            byte[] bytes = [.. directory, (byte)'/', .. name];
            switch (kind)
            {
                case RawNames.Kind.Link:
                    sink.Link(path);
                    break;
                case RawNames.Kind.Directory when display != ".git":
                    ListByBytes(bytes, path + "/", onlyOdd: false, entries, sink);
                    break;
                case RawNames.Kind.File when include is null || include(path):
                    entries.Add(new Entry(path, -1, IsLink: false, bytes));
                    break;
                case RawNames.Kind.Other when include is null || include(path):
                    sink.Problem(path, NotARegularFile);
                    break;
            }
        }
    }

    private const string NotARegularFile = "not a regular file (a FIFO, socket or device); not read";

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
            // A FIFO, socket or device lists as an empty file; File.OpenHandle would wait for ever on a FIFO, so an
            // entry of no length is opened without blocking and refused when it cannot be read as a file.
            using var handle = entry.Bytes is { } bytes ? RawNames.Open(bytes)
                : entry.Size == 0 ? RawNames.Open(Encoding.UTF8.GetBytes(Path.Combine(_root, entry.Path)))
                : File.OpenHandle(Path.Combine(_root, entry.Path), FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            var size = entry.Size >= 0 ? entry.Size : RandomAccess.GetLength(handle);
            if (size > SourceTrees.MaxFileSize)
            {
                sink.Problem(entry.Path, $"larger than {SourceTrees.MaxFileSize / (1024 * 1024)} MiB ({size:N0} bytes); not counted");
                return;
            }
            var capacity = (int)size + 1;
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
        catch (NotSupportedException)
        {
            sink.Problem(entry.Path, NotARegularFile);
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

    /// <summary>A listed file: its path relative to the root, its size (-1 until opened), and its real name's bytes
    /// (absolute) when .NET cannot open it by <paramref name="Path"/>.</summary>
    private sealed record Entry(string Path, long Size, bool IsLink, byte[]? Bytes = null);
}
