using System.Buffers;
using System.IO.Compression;
using System.Threading.Channels;
using SharpCompress.Compressors.Xz;

namespace Oxidation.Tree;

/// <summary>
/// A release tarball (<c>.tar</c>, <c>.tar.gz</c>, <c>.tgz</c>, <c>.tar.xz</c>), streamed: one thread
/// decompresses and splits the archive, the others count, and nothing is written to disk.
/// The single top-level directory of a release tarball (<c>linux-6.12/</c>) is stripped from paths.
/// </summary>
public sealed class TarballTree(string path, Func<string, bool>? include = null, bool stripTopDirectory = true) : ISourceTree
{
    /// <inheritdoc />
    public string Description => path;

    /// <inheritdoc />
    public void ReadAll(ISourceFileSink sink, int parallelism, CancellationToken cancellationToken)
    {
        using var file = OpenFile();
        var total = file.Length;
        using var decompressed = Decompress(file);
        var channel = Channel.CreateBounded<List<Item>>(new BoundedChannelOptions(16) { SingleWriter = true });
        var workers = Enumerable.Range(0, Math.Max(1, decompressed is NativeXz ? parallelism : parallelism - 1))
            .Select(_ => Task.Run(() => Consume(channel.Reader, sink), cancellationToken))
            .ToArray();
        Exception? failure = null;
        var native = decompressed as NativeXz;
        // Progress: compressed bytes read out of the file size, or with native xz (which reads the file
        // itself) uncompressed bytes out of the size its index states.
        Func<long, long> position = native is null ? _ => file.Position : uncompressed => uncompressed;
        if (native is not null)
            total = NativeXz.UncompressedSize(path);
        try
        {
            Produce(decompressed, position, total, include, stripTopDirectory, channel.Writer, sink, cancellationToken);
        }
        // Decoders throw many types for damaged input (SharpCompress's DataErrorException, InvalidDataException,
        // EndOfStreamException, …); whatever it is, the archive cannot be read as a whole.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = ex;
        }
        finally
        {
            channel.Writer.TryComplete();
            Task.WaitAll(workers, CancellationToken.None);
        }
        if (native is not null && native.Finish() is { } xzError)
            failure = new InvalidDataException(xzError); // xz's own words are the most precise
        if (failure is TarTruncatedException)
            throw new SourceTreeException($"{path}: truncated archive ({failure.Message})", failure);
        if (failure is not null)
            throw new SourceTreeException($"{path}: corrupt or truncated archive ({failure.Message})", failure);
    }

    private FileStream OpenFile()
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourceTreeException($"{path}: cannot open ({ex.Message})", ex);
        }
    }

    private Stream Decompress(FileStream file)
    {
        Span<byte> magic = stackalloc byte[6];
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return new BufferedStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true), 1 << 20);
        if (read >= 6 && magic.SequenceEqual((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]))
            return (Stream?)NativeXz.TryStart(path) ?? new BufferedStream(new XZStream(file), 1 << 20);
        if (path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
            return file;
        throw new SourceTreeException($"{path}: not a directory, .tar, .tar.gz or .tar.xz file");
    }

    private static void Produce(Stream stream, Func<long, long> position, long total, Func<string, bool>? include, bool stripTopDirectory, ChannelWriter<List<Item>> writer, ISourceFileSink sink, CancellationToken cancellationToken)
    {
        var reader = new TarStream(stream);
        var placement = new Placement(stripTopDirectory);
        // Every path read, with the size of its copy when it was handed over as a file; the paths found more than once.
        var seen = new Dictionary<string, long?>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        long files = 0, bytes = 0;
        var batch = new List<Item>(64);
        long batchBytes = 0;
        while (reader.Next() is { } member)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.Kind is TarMemberKind.Other)
                continue;
            var name = placement.Place(member.Name, member.Kind is TarMemberKind.Directory, out var problem);
            if (problem is not null)
            {
                sink.Problem(name ?? member.Name, problem);
                continue;
            }
            if (name is null || member.Kind is TarMemberKind.Directory || (include is not null && !include(name)))
                continue;
            if (!seen.TryAdd(name, null))
            {
                // Which copy is the file? tar would keep the last, a reader streaming it the first: neither is sure, so none counts.
                if (repeated.Add(name))
                    sink.Withdraw(name, seen[name], "given more than once in the archive; no copy counted");
                continue;
            }
            switch (member.Kind)
            {
                case TarMemberKind.Link:
                    sink.Link(name);
                    continue;
                case TarMemberKind.Sparse:
                    sink.Problem(name, "GNU sparse file: not supported; not counted");
                    continue;
            }
            if (member.Size > SourceTrees.MaxFileSize)
            {
                sink.Problem(name, $"larger than {SourceTrees.MaxFileSize / (1024 * 1024)} MiB ({member.Size:N0} bytes); not counted");
                continue;
            }
            var length = (int)member.Size;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            try
            {
                reader.ReadData(buffer.AsSpan(0, length));
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            seen[name] = length;
            batch.Add(new Item(name, buffer, length));
            batchBytes += length;
            // Files travel in batches: one hand-over per file made the pool threads spin (sched_yield) more than they counted.
            if (batch.Count >= 64 || batchBytes >= 4 << 20)
            {
                Post(writer, batch, cancellationToken);
                batch = [];
                batchBytes = 0;
            }
            files++;
            bytes += length;
            if ((files & 255) == 0)
                sink.Progress(files, position(bytes), total);
        }
        reader.Drain();
        if (batch.Count > 0)
            Post(writer, batch, cancellationToken);
        sink.Progress(files, total > 0 ? total : bytes, total);
    }

    /// <summary>
    /// Where a member belongs in the tree, or why it is left out. A release tarball holds one top directory
    /// (<c>linux-6.12/</c>), stripped from paths; a member outside it, an absolute path or one with a <c>..</c>
    /// component (which GNU tar refuses to extract) is not part of the tree.
    /// </summary>
    private sealed class Placement(bool stripTopDirectory)
    {
        private bool _decided = !stripTopDirectory;
        private string? _top;

        /// <summary>The path relative to the tree root (<c>""</c> for the root itself), or null when <paramref name="problem"/> says why not.</summary>
        public string? Place(string name, bool isDirectory, out string? problem)
        {
            problem = null;
            if (name.StartsWith('/'))
            {
                problem = "absolute path in the archive; not counted";
                return null;
            }
            var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Contains(".."))
            {
                problem = "path with a '..' component in the archive; not counted";
                return null;
            }
            var dot = parts.Length > 0 && parts[0] == ".";
            parts = [.. parts.Where(p => p != ".")];
            if (parts.Length == 0)
                return "";
            if (!_decided)
            {
                // The first member names the top directory; an archive of "." (./Makefile, ./kernel/…) has none, nor
                // one whose first member is a file at its root.
                _decided = true;
                if (!dot && (isDirectory || parts.Length > 1))
                    _top = parts[0];
            }
            if (_top is not null)
            {
                if (parts[0] != _top)
                {
                    problem = $"outside the archive's top directory {_top}/; not counted";
                    return null;
                }
                parts = parts[1..];
                if (parts.Length == 0)
                    return "";
            }
            return string.Join('/', parts);
        }
    }

    private static void Post(ChannelWriter<List<Item>> writer, List<Item> batch, CancellationToken cancellationToken)
    {
        if (!writer.TryWrite(batch))
            writer.WriteAsync(batch, cancellationToken).AsTask().GetAwaiter().GetResult();
    }

    private static async Task Consume(ChannelReader<List<Item>> reader, ISourceFileSink sink)
    {
        await foreach (var batch in reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var item in batch)
            {
                try
                {
                    Deliver(item, sink);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
            }
        }
    }

    private static void Deliver(Item item, ISourceFileSink sink) => sink.File(new SourceFile(item.Path, item.Buffer.AsSpan(0, item.Length)));

    private sealed record Item(string Path, byte[] Buffer, int Length);
}
