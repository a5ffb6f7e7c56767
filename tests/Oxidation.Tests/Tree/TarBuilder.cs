using System.Text;

namespace Oxidation.Tests.Tree;

/// <summary>
/// Writes a tar archive byte by byte (POSIX ustar headers, PAX and GNU extras as needed), so tests can build
/// exactly the damaged or odd archives they describe: a cut at a member boundary, <c>../</c> names, raw name bytes.
/// </summary>
internal sealed class TarBuilder
{
    private readonly List<byte> _bytes = [];

    /// <summary>A regular file with UTF-8 text.</summary>
    public TarBuilder File(string name, string text) => Member(Encoding.UTF8.GetBytes(name), '0', Encoding.UTF8.GetBytes(text));

    /// <summary>A directory entry.</summary>
    public TarBuilder Directory(string name) => Member(Encoding.UTF8.GetBytes(name), '5', []);

    /// <summary>A member with a raw name, a type flag and data; <paramref name="gnu"/> writes GNU's "ustar  " magic.</summary>
    public TarBuilder Member(byte[] name, char type, byte[] data, bool gnu = false, Action<byte[]>? patch = null)
    {
        var header = new byte[512];
        name.AsSpan(0, Math.Min(name.Length, 100)).CopyTo(header);
        Octal(header, 100, 8, 420); // 0644
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, data.Length);
        Octal(header, 136, 12, 1_700_000_000);
        header[156] = (byte)type;
        (gnu ? "ustar  \0"u8 : "ustar\000"u8).CopyTo(header.AsSpan(257));
        patch?.Invoke(header);
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => b);
        Octal(header, 148, 7, sum);
        _bytes.AddRange(header);
        _bytes.AddRange(data);
        _bytes.AddRange(new byte[(512 - data.Length % 512) % 512]);
        return this;
    }

    /// <summary>A PAX extended header (type <c>x</c>) for the member that follows.</summary>
    public TarBuilder Pax(params (string Key, string Value)[] records)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in records)
        {
            var body = $" {key}={value}\n";
            var length = Encoding.UTF8.GetByteCount(body);
            var total = length + 1; // the record's length counts its own digits
            while (length + Digits(total) != total)
                total = length + Digits(total);
            text.Append(total.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(body);
        }
        return Member("././@PaxHeader"u8.ToArray(), 'x', Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Bytes appended as they are (a hole map block, garbage).</summary>
    public TarBuilder Raw(byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>The archive so far, without the end-of-archive blocks.</summary>
    public byte[] WithoutEnd() => [.. _bytes];

    /// <summary>The archive with its two zero blocks, padded to a 10 KiB record as tar writes it.</summary>
    public byte[] Complete()
    {
        byte[] bytes = [.. _bytes, .. new byte[1024]];
        return [.. bytes, .. new byte[(10240 - bytes.Length % 10240) % 10240]];
    }

    private static int Digits(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;

    private static void Octal(byte[] header, int offset, int width, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(digits).CopyTo(header, offset);
        header[offset + width - 1] = 0;
    }
}

/// <summary>Records what a tree reader hands over.</summary>
internal sealed class RecordingSink : Oxidation.Tree.ISourceFileSink
{
    private readonly Lock _gate = new();

    public SortedDictionary<string, string> Files { get; } = new(StringComparer.Ordinal);
    public List<(string Path, string Reason)> Problems { get; } = [];
    public List<string> Links { get; } = [];

    public void File(Oxidation.Tree.SourceFile file)
    {
        lock (_gate)
        {
            var path = file.Path;
            if (Withdrawn.Any(w => w.Path == path))
                return; // taken back before a counting thread got to it
            if (!Files.TryAdd(file.Path, Encoding.UTF8.GetString(file.Content)))
                Problems.Add((file.Path, "delivered twice"));
        }
    }

    public void Problem(string path, string reason)
    {
        lock (_gate)
            Problems.Add((path, reason));
    }

    public List<(string Path, long? Delivered)> Withdrawn { get; } = [];

    public void Withdraw(string path, long? delivered, string reason)
    {
        lock (_gate)
        {
            Problems.Add((path, reason));
            Withdrawn.Add((path, delivered));
            Files.Remove(path);
        }
    }

    public void Link(string path)
    {
        lock (_gate)
            Links.Add(path);
    }

    public void Progress(long files, long bytes, long total)
    {
    }

    public List<(string Path, string Reason)> SortedProblems() => [.. Problems.OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Reason, StringComparer.Ordinal)];
}
