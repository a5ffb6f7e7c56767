using System.Buffers;
using System.Formats.Tar;
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
        using var reader = new TarReader(stream, leaveOpen: true);
        string? root = null;
        var first = true;
        long files = 0, bytes = 0;
        var batch = new List<Item>(64);
        long batchBytes = 0;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                continue;
            var name = entry.Name.Replace('\\', '/');
            if (first)
            {
                first = false;
                var slash = name.IndexOf('/');
                if (slash > 0 && stripTopDirectory)
                    root = name[..(slash + 1)];
            }
            if (root is not null && name.StartsWith(root, StringComparison.Ordinal))
                name = name[root.Length..];
            name = name.TrimEnd('/');
            if (name.Length == 0)
                continue;
            if (include is not null && !include(name))
                continue;
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    break;
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    sink.Link(name);
                    continue;
                default:
                    continue;
            }
            if (entry.Length > SourceTrees.MaxFileSize)
            {
                sink.Problem(name, $"larger than {SourceTrees.MaxFileSize / (1024 * 1024)} MiB ({entry.Length:N0} bytes); not counted");
                continue;
            }
            var length = (int)entry.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            if (entry.DataStream is { } data)
                data.ReadExactly(buffer, 0, length);
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
        if (batch.Count > 0)
            Post(writer, batch, cancellationToken);
        sink.Progress(files, total > 0 ? total : bytes, total);
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
