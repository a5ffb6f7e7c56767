using System.Buffers;
using System.Text;

namespace Oxidation.Tree;

/// <summary>What a tar member is, as far as the tree readers care.</summary>
internal enum TarMemberKind
{
    /// <summary>A regular file whose data follows the header.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic or hard link.</summary>
    Link,

    /// <summary>A GNU sparse file (old GNU <c>S</c> type or a PAX <c>GNU.sparse.*</c> member): its data is a map of holes, not the file.</summary>
    Sparse,

    /// <summary>Anything else (devices, FIFOs, volume labels, multi-volume continuations): nothing to count.</summary>
    Other,
}

/// <summary>One member's header. <see cref="Name"/> is the member's name as stored, decoded as UTF-8 with U+FFFD for each
/// byte that is not (a name is bytes; see docs/counting.md).</summary>
internal readonly record struct TarMember(string Name, TarMemberKind Kind, long Size);

/// <summary>An archive that ends before its end-of-archive blocks: a cut at a member boundary leaves a readable
/// but incomplete archive, so the end marker is the only proof that every member was read.</summary>
internal sealed class TarTruncatedException(string message) : IOException(message);

/// <summary>
/// Reads a tar stream member by member: POSIX ustar and PAX, GNU (long names, base-256 sizes, sparse members
/// recognised), v7. Written here rather than with <c>System.Formats.Tar</c> because that reader takes a stream that
/// ends at a member boundary for a complete archive, stops at the first GNU sparse member, returns PAX sparse members'
/// hole maps as their content, and decodes names before they can be checked.
/// Format: POSIX.1-2017 <c>pax</c> (ustar and extended headers), GNU tar's manual "Basic Tar Format" and "Sparse Formats".
/// </summary>
internal sealed class TarStream(Stream stream)
{
    private const int Block = 512;
    private readonly byte[] _header = new byte[Block];
    private long _remaining; // data and padding of the current member not read yet
    private string _last = "";

    /// <summary>The next member, its data not read yet, or null after the two zero blocks that end an archive.
    /// Throws <see cref="TarTruncatedException"/> when the stream ends first, <see cref="InvalidDataException"/> for a damaged header.</summary>
    public TarMember? Next()
    {
        Skip(_remaining);
        _remaining = 0;
        byte[]? longName = null;
        Dictionary<string, string>? pax = null;
        while (true)
        {
            if (!ReadHeader(out var zero))
                throw new TarTruncatedException(_last.Length == 0 ? "no end-of-archive blocks" : $"ends after {_last} without the end-of-archive blocks");
            if (zero)
            {
                if (!ReadHeader(out _))
                    throw new TarTruncatedException("ends after one of its two end-of-archive blocks");
                return null;
            }
            var type = (char)_header[156];
            var size = Number(_header.AsSpan(124, 12), "size");
            switch (type)
            {
                case 'L': // GNU long name: the next header's name
                    longName = ReadSmall(size);
                    continue;
                case 'K': // GNU long link name, not needed
                case 'g': // PAX global attributes (git archive's commit id)
                    Skip(Padded(size));
                    continue;
                case 'x': // PAX attributes of the next member
                    pax = Pax(ReadSmall(size));
                    continue;
            }
            if (pax is not null && pax.TryGetValue("size", out var paxSize))
                size = long.TryParse(paxSize, out var s) && s >= 0 ? s : throw new InvalidDataException($"bad PAX size '{paxSize}' after {_last}");
            var name = pax?.GetValueOrDefault("path") ?? Decode(longName is null ? HeaderName() : Field(longName));
            var kind = type switch
            {
                '0' or '\0' or '7' => name.EndsWith('/') ? TarMemberKind.Directory : TarMemberKind.File,
                '1' or '2' => TarMemberKind.Link,
                '5' => TarMemberKind.Directory,
                'S' => TarMemberKind.Sparse,
                _ => TarMemberKind.Other,
            };
            if (pax is not null && pax.Keys.Any(k => k.StartsWith("GNU.sparse.", StringComparison.Ordinal)))
            {
                // PAX sparse formats 0.1 and 1.0 store a placeholder path (…/GNUSparseFile.PID/name) and the real one here.
                kind = TarMemberKind.Sparse;
                name = pax.GetValueOrDefault("GNU.sparse.name") ?? name;
            }
            if (type == 'S')
                SkipSparseExtensions();
            _last = name;
            // Links, directories, devices and FIFOs carry no data whatever their size field says (as GNU tar and Python's tarfile read them).
            _remaining = type is '1' or '2' or '3' or '4' or '5' or '6' ? 0 : Padded(size);
            return new TarMember(name, kind, size);
        }
    }

    /// <summary>Reads the current member's data (all <see cref="TarMember.Size"/> bytes of it) into <paramref name="buffer"/>.</summary>
    public void ReadData(Span<byte> buffer)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
            throw new TarTruncatedException($"ends inside the data of {_last}");
        _remaining -= buffer.Length;
    }

    /// <summary>Reads what follows the end of the archive (a record's padding) so the decompressor checks its trailer.</summary>
    public void Drain()
    {
        var scratch = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (stream.Read(scratch) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private bool ReadHeader(out bool zero)
    {
        var read = stream.ReadAtLeast(_header, Block, throwOnEndOfStream: false);
        zero = false;
        if (read == 0)
            return false;
        if (read < Block)
            throw new TarTruncatedException(_last.Length == 0 ? "ends inside the first header" : $"ends inside the header after {_last}");
        zero = !_header.AsSpan().ContainsAnyExcept((byte)0);
        if (!zero && !ChecksumMatches())
            throw new InvalidDataException(_last.Length == 0 ? "not a tar archive (bad header checksum)" : $"bad header checksum after {_last}");
        return true;
    }

    private bool ChecksumMatches()
    {
        // The sum of the header's bytes with the checksum field counted as spaces; some old writers summed signed bytes.
        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : _header[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        var stored = Number(_header.AsSpan(148, 8), "checksum");
        return stored == unsigned || stored == signed;
    }

    private byte[] HeaderName()
    {
        var name = Field(_header.AsSpan(0, 100));
        // POSIX ustar splits long names into prefix/name; GNU's "ustar  " header uses those bytes for other things.
        if (_header.AsSpan(257, 6).SequenceEqual("ustar\0"u8) && Field(_header.AsSpan(345, 155)) is { Length: > 0 } prefix)
            return [.. prefix, (byte)'/', .. name];
        return name.ToArray();
    }

    private void SkipSparseExtensions()
    {
        // Old GNU sparse: byte 482 says whether more 512-byte blocks of the hole map follow, each saying so at byte 504.
        var extended = _header[482] != 0;
        while (extended)
        {
            if (stream.ReadAtLeast(_header, Block, throwOnEndOfStream: false) < Block)
                throw new TarTruncatedException($"ends inside the sparse map after {_last}");
            extended = _header[504] != 0;
        }
    }

    private byte[] ReadSmall(long size)
    {
        if (size > 1 << 20)
            throw new InvalidDataException($"extended header of {size:N0} bytes after {(_last.Length == 0 ? "the start" : _last)}");
        var data = new byte[size];
        if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length)
            throw new TarTruncatedException($"ends inside an extended header after {(_last.Length == 0 ? "the start" : _last)}");
        Skip(Padded(size) - size);
        return data;
    }

    private void Skip(long count)
    {
        if (count == 0)
            return;
        var scratch = ArrayPool<byte>.Shared.Rent((int)Math.Min(count, 1 << 16));
        try
        {
            while (count > 0)
            {
                var read = stream.Read(scratch, 0, (int)Math.Min(count, scratch.Length));
                if (read == 0)
                    throw new TarTruncatedException($"ends inside the data of {_last}");
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static long Padded(long size) => (size + Block - 1) / Block * Block;

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return end < 0 ? field : field[..end];
    }

    /// <summary>An octal number field, or GNU's base-256 (high bit set) for sizes of 8 GiB and more.</summary>
    private long Number(ReadOnlySpan<byte> field, string what)
    {
        if ((field[0] & 0x80) != 0)
        {
            if (field.Length != 12 || field[0] != 0x80 || field[1..4].ContainsAnyExcept((byte)0))
                throw new InvalidDataException($"bad {what} field after {(_last.Length == 0 ? "the start" : _last)}");
            long big = 0;
            foreach (var b in field[^8..])
                big = (big << 8) | b;
            return big >= 0 ? big : throw new InvalidDataException($"bad {what} field after {_last}");
        }
        long value = 0;
        var digits = false;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (digits)
                    break;
                continue;
            }
            if (b is < (byte)'0' or > (byte)'7')
                throw new InvalidDataException(_last.Length == 0 ? "not a tar archive" : $"bad {what} field after {_last}");
            value = (value << 3) | (uint)(b - '0');
            digits = true;
        }
        return value;
    }

    /// <summary>PAX records: <c>LENGTH key=value\n</c>, LENGTH counting the whole record.</summary>
    private Dictionary<string, string> Pax(ReadOnlySpan<byte> data)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (data.Length > 0 && data[0] != 0)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], out var length) || length <= space + 1 || length > data.Length || data[length - 1] != '\n')
                throw new InvalidDataException($"bad PAX header after {(_last.Length == 0 ? "the start" : _last)}");
            var record = data[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
                throw new InvalidDataException($"bad PAX header after {(_last.Length == 0 ? "the start" : _last)}");
            result[Encoding.UTF8.GetString(record[..equals])] = Decode(record[(equals + 1)..]);
            data = data[length..];
        }
        return result;
    }

    private static string Decode(ReadOnlySpan<byte> name) => Encoding.UTF8.GetString(name);
}
