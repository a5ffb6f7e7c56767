using System.Collections.Concurrent;

namespace Oxidation.Scanning;

/// <summary>
/// What a scan learnt about each file with a content id (a git blob), kept across scans: a blob counted at one tag is
/// not read again at the next. Keyed by blob id and file name, because the language is decided from the name as well as
/// the bytes. Files the analyses keep (Rust, Kbuild, Kconfig, MAINTAINERS) are always read. Thread-safe.
/// </summary>
public sealed class ScanCache
{
    internal ConcurrentDictionary<(string ContentId, string Name), CachedFile> Files { get; } = new();

    /// <summary>How many file results the cache holds.</summary>
    public int Count => Files.Count;
}

/// <summary>A file's results without its path: what <see cref="Scanner"/> derives from its name and bytes.</summary>
internal sealed record CachedFile(string Language, long Bytes, long Code, long Comment, long Blank, bool Binary, bool InvalidUtf8);
