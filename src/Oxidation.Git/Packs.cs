using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace Oxidation.Git;

/// <summary>
/// A repository's pack files (<c>objects/pack/*.idx</c> and <c>*.pack</c>, index version 2), mapped into memory once
/// and read without locks by any number of <see cref="PackReader"/>s, one per thread.
/// </summary>
/// <remarks>
/// Why not libgit2 for these reads: <c>git_odb_read</c> costs ~8 µs per tree here (a zlib set-up, the pack's and
/// the memory window's mutexes, and its delta-base cache behind another), three trees and a commit per commit, where
/// <c>git log</c> spends ~29 µs per commit in all. Reading the mapped pack directly does the same work at ~1–2 µs
/// per object. Anything this class does not hold — loose objects, alternates, index version 1, SHA-256
/// repositories — is still read through libgit2 (<see cref="RawObjects"/> asks here first).
/// </remarks>
internal sealed unsafe class PackSet : IDisposable
{
    private readonly Pack[] _packs;

    private PackSet(Pack[] packs, IReadOnlyList<string> withoutPack) => (_packs, IndexesWithoutPack) = (packs, withoutPack);

    public int Count => _packs.Length;

    /// <summary>Pack indexes whose <c>.pack</c> is gone: their objects are missing unless another pack holds them (a repack in progress).</summary>
    public IReadOnlyList<string> IndexesWithoutPack { get; }

    /// <summary>The packs of a git directory (its <c>commondir</c> for a linked work tree), newest first as git searches them.</summary>
    public static PackSet Open(string gitDirectory)
    {
        var common = Path.Combine(gitDirectory, "commondir");
        var objects = File.Exists(common)
            ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(common).Trim(), "objects"))
            : Path.Combine(gitDirectory, "objects");
        var directory = new DirectoryInfo(Path.Combine(objects, "pack"));
        if (!directory.Exists)
            return new PackSet([], []);
        var packs = new List<Pack>();
        var withoutPack = new List<string>();
        try
        {
            foreach (var idx in directory.GetFiles("pack-*.idx").OrderByDescending(f => f.LastWriteTimeUtc))
            {
                var pack = Path.ChangeExtension(idx.FullName, ".pack");
                if (!File.Exists(pack))
                    withoutPack.Add(idx.FullName);
                else if (Pack.TryOpen(idx.FullName, pack) is { } opened)
                    packs.Add(opened);
            }
        }
        catch
        {
            foreach (var p in packs)
                p.Dispose();
            throw;
        }
        return new PackSet([.. packs], withoutPack);
    }

    /// <summary>Which pack holds an object, and where in it.</summary>
    public bool TryFind(ReadOnlySpan<byte> id, out int pack, out long offset)
    {
        for (pack = 0; pack < _packs.Length; pack++)
            if (_packs[pack].TryFind(id, out offset))
                return true;
        offset = 0;
        return false;
    }

    public Pack this[int pack] => _packs[pack];

    public void Dispose()
    {
        foreach (var p in _packs)
            p.Dispose();
    }
}

/// <summary>One mapped pack and its index.</summary>
internal sealed unsafe class Pack : IDisposable
{
    private readonly MemoryMappedFile _idxFile, _packFile;
    private readonly MemoryMappedViewAccessor _idxView, _packView;
    private readonly byte* _idx;
    private readonly int _count;
    // Where each two-byte prefix starts among the sorted ids: the index's own table narrows by one byte (to ~40,000
    // ids in the kernel's pack), this one by two (to ~150), so a lookup takes a few probes in a few cache lines.
    private readonly int[] _starts = new int[65537];

    private Pack(string packPath, MemoryMappedFile idxFile, MemoryMappedViewAccessor idxView, byte* idx, long idxLength,
        MemoryMappedFile packFile, MemoryMappedViewAccessor packView, byte* data, long dataLength)
    {
        PackPath = packPath;
        (_idxFile, _idxView, _packFile, _packView) = (idxFile, idxView, packFile, packView);
        _idx = idx;
        Data = data;
        Length = dataLength;
        _count = (int)BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(idx + 8 + 255 * 4, 4));
        var names = idx + 8 + 1024;
        for (long i = 0; i < _count; i++)
            _starts[((names[i * 20] << 8) | names[(i * 20) + 1]) + 1]++;
        for (var p = 1; p < _starts.Length; p++)
            _starts[p] += _starts[p - 1];
    }

    public string PackPath { get; }

    /// <summary>The pack's bytes, mapped.</summary>
    public byte* Data { get; }

    public long Length { get; }

    /// <summary>Null when the index is not version 2 (SHA-1), which libgit2 then reads.</summary>
    public static Pack? TryOpen(string idxPath, string packPath)
    {
        var (idxFile, idxView, idxAddress, idxLength) = Map(idxPath);
        var idx = (byte*)idxAddress;
        if (idxLength < 8 + 1024 || BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(idx, 4)) != 0xff744f63
            || BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(idx + 4, 4)) != 2)
        {
            Unmap(idxFile, idxView);
            return null;
        }
        var count = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(idx + 8 + 255 * 4, 4));
        if (idxLength < 8 + 1024 + count * 28L + 40)
        {
            Unmap(idxFile, idxView);
            throw new InvalidDataException($"{idxPath}: index shorter than its {count} objects need");
        }
        var (packFile, packView, dataAddress, dataLength) = Map(packPath);
        var data = (byte*)dataAddress;
        if (dataLength < 12 || !new ReadOnlySpan<byte>(data, 4).SequenceEqual("PACK"u8))
        {
            Unmap(idxFile, idxView);
            Unmap(packFile, packView);
            throw new InvalidDataException($"{packPath}: not a pack file");
        }
        // The index ends with the pack's checksum, the pack with its own: a pack cut short (or another pack under the
        // name) ends with other bytes. libgit2 refuses such a pack the same way ("packfile does not match index").
        if (dataLength < 12 + 20 || !new ReadOnlySpan<byte>(data + dataLength - 20, 20).SequenceEqual(new ReadOnlySpan<byte>(idx + idxLength - 40, 20)))
        {
            Unmap(idxFile, idxView);
            Unmap(packFile, packView);
            throw new InvalidDataException($"{packPath}: does not match its index (truncated or replaced)");
        }
        return new Pack(packPath, idxFile, idxView, idx, idxLength, packFile, packView, data, dataLength);
    }

    private static (MemoryMappedFile, MemoryMappedViewAccessor, nint, long) Map(string path)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
            throw new InvalidDataException($"{path}: empty file");
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        return (file, view, (nint)(pointer + view.PointerOffset), length);
    }

    private static void Unmap(MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }

    /// <summary>The two-byte prefix table narrows the sorted ids to those with the same prefix; a binary search does the rest.</summary>
    public bool TryFind(ReadOnlySpan<byte> id, out long offset)
    {
        var prefix = (id[0] << 8) | id[1];
        var lo = _starts[prefix];
        var hi = _starts[prefix + 1];
        var names = _idx + 8 + 1024;
        var key = BinaryPrimitives.ReadUInt64BigEndian(id);
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var name = names + (long)mid * 20;
            var head = BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(name, 8));
            var c = head != key ? head.CompareTo(key) : new ReadOnlySpan<byte>(name, 20).SequenceCompareTo(id);
            if (c == 0)
            {
                offset = OffsetOf(mid);
                return true;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        offset = 0;
        return false;
    }

    private long OffsetOf(int index)
    {
        var offsets = _idx + 8 + 1024 + (long)_count * 24;
        var small = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(offsets + (long)index * 4, 4));
        if ((small & 0x8000_0000) == 0)
            return small;
        var large = offsets + (long)_count * 4 + (long)(small & 0x7fff_ffff) * 8;
        return (long)BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(large, 8));
    }

    public void Dispose()
    {
        Unmap(_idxFile, _idxView);
        Unmap(_packFile, _packView);
    }
}

/// <summary>
/// Reads objects out of a <see cref="PackSet"/>: inflates them and applies delta chains, keeping recently built
/// objects (by pack and offset, as git's delta-base cache does) so that the next version of a tree costs one small
/// delta. Not thread-safe: one per thread. The bytes it returns may be shared with its cache: read them, never write.
/// </summary>
internal sealed unsafe class PackReader(PackSet packs) : IDisposable
{
    private const int Commit = 1, Tree = 2, Blob = 3, Tag = 4, OffsetDelta = 6, ReferenceDelta = 7;
    private const int SlotBits = 11, Slots = 1 << SlotBits;
    private const long CacheBudget = 32L << 20;
    private const int LargestCached = 1 << 20;

    private readonly (int Pack, long Offset, int Type, byte[]? Data)[] _cache = new (int, long, int, byte[]?)[Slots];
    private long _cachedBytes;
    private readonly List<(int Pack, long Offset, long DataStart)> _chain = [];
    private readonly Inflater _inflater = Inflater.Create();

    /// <summary>The object's bytes and type (1 commit, 2 tree, 3 blob, 4 tag), or false when no pack holds it.</summary>
    public bool TryRead(ReadOnlySpan<byte> id, out byte[] data, out int type)
    {
        if (!packs.TryFind(id, out var pack, out var offset))
        {
            (data, type) = ([], 0);
            return false;
        }
        try
        {
            return TryUnpack(pack, offset, out data, out type);
        }
        catch (Exception ex) when (ex is InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new LibGit2Sharp.LibGit2SharpException($"object {Convert.ToHexStringLower(id)} in {packs[pack].PackPath} at offset {offset}: corrupt ({ex.Message})", ex);
        }
    }

    /// <summary>Follows the delta chain down to a cached or whole object, then builds back up, caching each step.</summary>
    private bool TryUnpack(int pack, long offset, out byte[] data, out int type)
    {
        _chain.Clear();
        byte[] current;
        while (true)
        {
            if (Cached(pack, offset) is { } hit)
            {
                (current, type) = (hit.Data, hit.Type);
                break;
            }
            var p = packs[pack];
            var (kind, size, pos) = Header(p, offset);
            if (kind is >= Commit and <= Tag)
            {
                current = Inflate(p, pos, size);
                type = kind;
                Remember(pack, offset, type, current);
                break;
            }
            if (kind == OffsetDelta)
            {
                var (distance, start) = BaseDistance(p, pos);
                if (distance <= 0 || distance > offset)
                    throw new InvalidDataException($"delta base {distance} bytes back from offset {offset}");
                _chain.Add((pack, offset, start));
                offset -= distance;
            }
            else if (kind == ReferenceDelta)
            {
                if (pos + 20 > p.Length)
                    throw new InvalidDataException("truncated delta base id");
                _chain.Add((pack, offset, pos + 20));
                if (!packs.TryFind(new ReadOnlySpan<byte>(p.Data + pos, 20), out pack, out offset))
                {
                    // A base outside the packs (a thin pack completed by a loose object): libgit2 reads the whole object.
                    (data, type) = ([], 0);
                    return false;
                }
            }
            else
            {
                throw new InvalidDataException($"object type {kind}");
            }
            if (_chain.Count > 10_000)
                throw new InvalidDataException("delta chain longer than 10,000");
        }
        for (var i = _chain.Count - 1; i >= 0; i--)
        {
            var (deltaPack, deltaOffset, start) = _chain[i];
            var p = packs[deltaPack];
            var (_, size, _) = Header(p, deltaOffset);
            current = Apply(current, Inflate(p, start, size));
            Remember(deltaPack, deltaOffset, type, current);
        }
        data = current;
        return true;
    }

    /// <summary>How an object is stored at an offset: 1–4 whole, 6 offset delta, 7 reference delta.</summary>
    internal static int KindAt(Pack p, long offset) => Header(p, offset).Type;

    private static (int Type, long Size, long DataStart) Header(Pack p, long offset)
    {
        var pos = offset;
        int c = At(p, pos++);
        var type = (c >> 4) & 7;
        long size = c & 15;
        var shift = 4;
        while ((c & 0x80) != 0)
        {
            if (shift > 56)
                throw new InvalidDataException("object size too large");
            c = At(p, pos++);
            size |= (long)(c & 0x7f) << shift;
            shift += 7;
        }
        return (type, size, pos);
    }

    /// <summary>An offset delta's base distance: big-endian 7-bit groups, each continuation adding one (git's encoding).</summary>
    private static (long Distance, long DataStart) BaseDistance(Pack p, long pos)
    {
        int c = At(p, pos++);
        long distance = c & 0x7f;
        while ((c & 0x80) != 0)
        {
            if (distance > long.MaxValue >> 8)
                throw new InvalidDataException("delta base offset too large");
            c = At(p, pos++);
            distance = ((distance + 1) << 7) | (long)(c & 0x7f);
        }
        return (distance, pos);
    }

    private static byte At(Pack p, long pos) =>
        pos < p.Length ? p.Data[pos] : throw new InvalidDataException("truncated object header");

    private byte[] Inflate(Pack p, long start, long size)
    {
        if (size > Array.MaxLength)
            throw new InvalidDataException($"object of {size} bytes");
        var result = new byte[size];
        // zlib never grows data by more than a few bytes per 16 KiB block: a bounded window keeps a stream's read-ahead
        // from touching pages of the pack that belong to other objects.
        var window = Math.Min(p.Length - start, size + size / 8 + 1024);
        _inflater.Inflate(new ReadOnlySpan<byte>(p.Data + start, (int)Math.Min(window, int.MaxValue)), result);
        return result;
    }

    /// <summary>Builds an object from its base and a git delta: sizes, then copy-from-base and insert instructions.</summary>
    internal static byte[] Apply(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta)
    {
        var pos = 0;
        var sourceSize = Varint(delta, ref pos);
        var resultSize = Varint(delta, ref pos);
        if (sourceSize != source.Length)
            throw new InvalidDataException($"delta expects a base of {sourceSize} bytes, not {source.Length}");
        if (resultSize > Array.MaxLength)
            throw new InvalidDataException($"delta result of {resultSize} bytes");
        var result = new byte[resultSize];
        var written = 0;
        while (pos < delta.Length)
        {
            int op = delta[pos++];
            if ((op & 0x80) != 0)
            {
                long from = 0, length = 0;
                for (var bit = 0; bit < 4; bit++)
                    if ((op & (1 << bit)) != 0)
                        from |= (long)delta[pos++] << (8 * bit);
                for (var bit = 0; bit < 3; bit++)
                    if ((op & (0x10 << bit)) != 0)
                        length |= (long)delta[pos++] << (8 * bit);
                if (length == 0)
                    length = 0x10000;
                if (from + length > source.Length || written + length > result.Length)
                    throw new InvalidDataException("delta copies past the end of its base or result");
                source.Slice((int)from, (int)length).CopyTo(result.AsSpan(written));
                written += (int)length;
            }
            else if (op != 0)
            {
                if (pos + op > delta.Length || written + op > result.Length)
                    throw new InvalidDataException("delta inserts past its end");
                delta.Slice(pos, op).CopyTo(result.AsSpan(written));
                pos += op;
                written += op;
            }
            else
            {
                throw new InvalidDataException("delta instruction 0");
            }
        }
        if (written != result.Length)
            throw new InvalidDataException($"delta built {written} of {result.Length} bytes");
        return result;
    }

    private static long Varint(ReadOnlySpan<byte> delta, ref int pos)
    {
        long value = 0;
        var shift = 0;
        int c;
        do
        {
            if (pos >= delta.Length || shift > 56)
                throw new InvalidDataException("truncated delta header");
            c = delta[pos++];
            value |= (long)(c & 0x7f) << shift;
            shift += 7;
        }
        while ((c & 0x80) != 0);
        return value;
    }

    private static int Slot(int pack, long offset) => (int)(((ulong)offset ^ ((ulong)pack << 48)) * 0x9E3779B97F4A7C15UL >> (64 - SlotBits));

    private (int Type, byte[] Data)? Cached(int pack, long offset)
    {
        ref var e = ref _cache[Slot(pack, offset)];
        return e.Data is not null && e.Pack == pack && e.Offset == offset ? (e.Type, e.Data) : null;
    }

    /// <summary>A direct-mapped cache: a colliding object replaces the older one; past the budget it starts empty again.</summary>
    private void Remember(int pack, long offset, int type, byte[] data)
    {
        if (data.Length > LargestCached)
            return;
        ref var e = ref _cache[Slot(pack, offset)];
        _cachedBytes += data.Length - (e.Data?.Length ?? 0);
        e = (pack, offset, type, data);
        if (_cachedBytes > CacheBudget)
        {
            Array.Clear(_cache);
            _cachedBytes = 0;
        }
    }

    public void Dispose() => _inflater.Dispose();
}
