using System.Collections.Concurrent;

namespace Oxidation.Scanning;

/// <summary>
/// What a scan learnt about each file with a content id (a git blob), kept across scans: a blob counted at one tag is
/// not read again at the next, and with a <see cref="IFileResultStore"/> (the database) not at a later run either. Keyed
/// by blob id and file name, because the language is decided from the name as well as the bytes. Files the analyses keep
/// (Rust, Kbuild, Kconfig, MAINTAINERS, the bindgen headers) are always read and never cached.
/// </summary>
/// <remarks>
/// Memory stays that of one tree: before a tree is read (<see cref="Prepare"/>) the cache drops what that tree does not
/// list and fetches from the store what it lists and the cache lacks, so a run over many tags holds one tag's results.
/// Thread-safe while a tree is read; <see cref="Prepare"/> and <see cref="TakeFresh"/> are called between trees.
/// </remarks>
/// <param name="store">Where results outlive the run (the database), or null for one run only.</param>
public sealed class ScanCache(IFileResultStore? store = null)
{
    private ConcurrentDictionary<(string ContentId, string Name), FileResult> _files = new();
    private ConcurrentDictionary<(string ContentId, string Name), FileResult> _fresh = new();

    /// <summary>
    /// The version of the rules that make a file's results (the language catalog, the line counter): the core assembly's
    /// module version id, which a deterministic build changes exactly when the core's code or data change. Results stored
    /// under another version are never read.
    /// </summary>
    public static string Version { get; } = "oxidation-core " + typeof(ScanCache).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>How many file results the cache holds.</summary>
    public int Count => _files.Count;

    /// <summary>Results fetched from the store over this cache's life.</summary>
    public long Fetched { get; private set; }

    /// <summary>
    /// Before a tree is read: keeps the results of the files it lists (by content id and name), drops the rest, and
    /// fetches from the store those it lacks.
    /// </summary>
    internal void Prepare(IReadOnlyCollection<(string ContentId, string Name)> files)
    {
        var kept = new ConcurrentDictionary<(string, string), FileResult>();
        var missing = new List<(string ContentId, string Name)>();
        foreach (var key in files)
        {
            if (_files.TryGetValue(key, out var known))
                kept[key] = known;
            else
                missing.Add(key);
        }
        if (store is not null && missing.Count > 0)
        {
            foreach (var (contentId, name, result) in store.Find(missing, Version))
            {
                kept[(contentId, name)] = result;
                Fetched++;
            }
        }
        _files = kept;
    }

    internal bool TryGet(string contentId, string name, out FileResult result) => _files.TryGetValue((contentId, name), out result!);

    internal void Add(string contentId, string name, FileResult result)
    {
        // Without a store nothing is ever taken out of the fresh results: they are not kept, so memory stays one tree's.
        if (_files.TryAdd((contentId, name), result) && store is not null)
            _fresh[(contentId, name)] = result;
    }

    /// <summary>The results made since the last call (not fetched from the store), for the caller to store; they are
    /// given once. Put them back with <see cref="Return"/> when storing them failed.</summary>
    public IReadOnlyList<(string ContentId, string Name, FileResult Result)> TakeFresh()
    {
        var fresh = Interlocked.Exchange(ref _fresh, new());
        return [.. fresh.OrderBy(f => f.Key.ContentId, StringComparer.Ordinal).ThenBy(f => f.Key.Name, StringComparer.Ordinal).Select(f => (f.Key.ContentId, f.Key.Name, f.Value))];
    }

    /// <summary>Results <see cref="TakeFresh"/> gave that could not be stored: given again at the next call.</summary>
    public void Return(IEnumerable<(string ContentId, string Name, FileResult Result)> fresh)
    {
        foreach (var (contentId, name, result) in fresh)
            _fresh[(contentId, name)] = result;
    }
}

/// <summary>A file's results without its path: what <see cref="Scanner"/> derives from its name and bytes.</summary>
/// <param name="Language">The language (empty for a binary file).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Code">Code lines.</param>
/// <param name="Comment">Comment lines.</param>
/// <param name="Blank">Blank lines.</param>
/// <param name="Binary">A NUL byte near the start: listed as binary, not counted.</param>
/// <param name="InvalidUtf8">Not valid UTF-8 (counted byte by byte, listed as a problem).</param>
public sealed record FileResult(string Language, long Bytes, long Code, long Comment, long Blank, bool Binary, bool InvalidUtf8);

/// <summary>Where <see cref="ScanCache"/> keeps file results across runs (the database's <c>file_results</c>).</summary>
public interface IFileResultStore
{
    /// <summary>The stored results of <paramref name="files"/> made under <paramref name="version"/> (<see cref="ScanCache.Version"/>); files without one are left out.</summary>
    IEnumerable<(string ContentId, string Name, FileResult Result)> Find(IReadOnlyCollection<(string ContentId, string Name)> files, string version);
}
