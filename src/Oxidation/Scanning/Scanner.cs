using System.Collections.Concurrent;
using System.Text;
using Oxidation.CHeaders;
using Oxidation.Counting;
using Oxidation.Kbuild;
using Oxidation.Kconfig;
using Oxidation.Languages;
using Oxidation.Maintainers;
using Oxidation.Model;
using Oxidation.Releases;
using Oxidation.Rust;
using Oxidation.Tree;

namespace Oxidation.Scanning;

/// <summary>How to scan: resolved once from what the user typed.</summary>
/// <param name="Path">A directory or tarball.</param>
/// <param name="Parallelism">Threads reading and counting.</param>
public sealed record ScanOptions(string Path, int Parallelism)
{
    /// <summary>Options with one thread per core.</summary>
    public static ScanOptions For(string path) => new(path, Environment.ProcessorCount);
}

/// <summary>Progress of a scan: files and bytes read, and the total when known.</summary>
public readonly record struct ScanProgress(long Files, long Bytes, long Total);

/// <summary>The scan failed as a whole: not a kernel tree, an unreadable archive.</summary>
public sealed class ScanException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Scans a kernel tree: reads every file once, in parallel, counting lines as it goes and keeping
/// only what later analyses need (Rust sources, Makefiles, Kconfig, MAINTAINERS, bindgen inputs),
/// then builds the inventory.
/// </summary>
public static class Scanner
{
    /// <summary>Opens the tree at <see cref="ScanOptions.Path"/> (a directory or tarball) and scans it; throws
    /// <see cref="ScanException"/> when it is not a readable kernel tree.</summary>
    public static ScanResult Scan(ScanOptions options, IProgress<ScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ISourceTree tree;
        try
        {
            tree = SourceTrees.Open(options.Path);
        }
        catch (SourceTreeException ex)
        {
            throw new ScanException(ex.Message, ex);
        }
        if (tree is DirectoryTree && !File.Exists(Path.Combine(options.Path, "Makefile")))
        {
            var empty = !Directory.EnumerateFileSystemEntries(options.Path).Any();
            throw new ScanException(empty
                ? $"{options.Path}: empty directory, not a kernel tree"
                : $"{options.Path}: not a kernel tree (no top-level Makefile with VERSION)");
        }
        return Scan(tree, options.Parallelism, progress, cancellationToken: cancellationToken);
    }

    /// <summary>Scans a tree the caller opened (a directory, a tarball, a git tree); throws <see cref="ScanException"/>
    /// when it is not a readable kernel tree.</summary>
    /// <param name="tree">The tree.</param>
    /// <param name="parallelism">Threads reading and counting.</param>
    /// <param name="progress">Progress, from the reading threads.</param>
    /// <param name="cache">File results by content id, shared with earlier scans (git trees): known blobs are not read again.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static ScanResult Scan(ISourceTree tree, int parallelism, IProgress<ScanProgress>? progress = null, ScanCache? cache = null, CancellationToken cancellationToken = default) =>
        Scan(tree, parallelism, progress, cache, cancellationToken, out _);

    private static ScanResult Scan(ISourceTree tree, int parallelism, IProgress<ScanProgress>? progress, ScanCache? cache, CancellationToken cancellationToken, out IReadOnlyDictionary<string, byte[]> kept)
    {
        var collector = new Collector(LanguageCatalog.Default, progress, cache);
        try
        {
            tree.ReadAll(collector, Math.Max(1, parallelism), cancellationToken);
        }
        catch (SourceTreeException ex)
        {
            throw new ScanException(ex.Message, ex);
        }
        collector.Settle();
        if (collector.FileCount == 0)
            throw new ScanException($"{tree.Description}: no files, not a kernel tree");
        var release = (collector.Kept.GetValueOrDefault("Makefile") is { } makefile ? Release.FromMakefile(makefile) : null)
            ?? throw new ScanException($"{tree.Description}: not a kernel tree (no top-level Makefile with VERSION)");
        kept = collector.Kept;
        return Build(release, tree.Description, collector) with { Reused = collector.ReusedCount, SourceDate = tree.Date };
    }

    /// <summary>
    /// What a tree says about the C side Rust reaches, for <c>oxidation impact</c> against a tree that is not scanned into a
    /// database: the scan's own pass and <see cref="RustReach"/>, but only over the files a scan keeps the bytes of (Rust
    /// sources, Makefiles/Kbuild, Kconfig, MAINTAINERS, the bindgen headers of <see cref="RustReach.Needs"/>), so the rest of
    /// the tree is listed, never read. Every path the tree lists is in <see cref="ReleaseReach.TreeFiles"/>, and the closure's
    /// headers are in <see cref="ReleaseReach.HeaderBytes"/> so a patch can be checked against them.
    /// Throws <see cref="ScanException"/> when the tree cannot be read, is not a kernel tree, or has no bindgen input.
    /// </summary>
    /// <param name="open">Opens the tree with the filter it is given (<see cref="SourceTrees.Open"/>, a git tree).</param>
    /// <param name="parallelism">Threads reading.</param>
    public static ReleaseReach Reach(Func<Func<string, bool>, ISourceTree> open, int parallelism)
    {
        var listed = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        ISourceTree tree;
        try
        {
            tree = open(path =>
            {
                listed.TryAdd(path, 0);
                return KeepsBytes(path);
            });
        }
        catch (SourceTreeException ex)
        {
            throw new ScanException(ex.Message, ex);
        }
        ScanResult scan;
        IReadOnlyDictionary<string, byte[]> kept;
        try
        {
            scan = Scan(tree, parallelism, null, null, default, out kept);
        }
        catch (ScanException) when (!listed.IsEmpty && !listed.ContainsKey("Makefile"))
        {
            // Files were listed, none kept: the filter, not the tree, left it empty.
            throw new ScanException($"{tree.Description}: not a kernel tree (no top-level Makefile with VERSION)");
        }
        var reach = ReleaseReach.FromScan(scan) ?? throw new ScanException($"{tree.Description}: no {IncludeSearch.BindgenRoots[0]}, so no bindgen input (a tree before Rust, 6.1 or later is needed)");
        return reach with
        {
            TreeFiles = listed.Keys.ToHashSet(StringComparer.Ordinal),
            HeaderBytes = reach.ClosureHeaders.Where(kept.ContainsKey).ToDictionary(h => h, h => kept[h], StringComparer.Ordinal),
        };
    }

    /// <summary>Whether a scan keeps a file's bytes for the analyses after the pass (the rest is counted and dropped).</summary>
    public static bool KeepsBytes(string path) => Collector.ShouldKeep(path, Path.GetFileName(path.AsSpan()));

    private static ScanResult Build(string release, string source, Collector collector)
    {
        var files = collector.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var allFiles = files.Select(f => f.Path).Concat(collector.Binary).ToHashSet(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in allFiles)
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                directories.Add(path[..slash]);
        }

        var kbuild = new KbuildTree();
        var kconfig = new KconfigDatabase();
        var rustSources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var cSupport = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, content) in collector.Kept.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (path.EndsWith(".rs", StringComparison.Ordinal))
                rustSources[path] = content;
            else if (name is "Makefile" or "Kbuild")
                kbuild.Add(KbuildMakefile.Parse(path, content));
            else if (name == "Kconfig" || name.StartsWith("Kconfig.", StringComparison.Ordinal))
                kconfig.Add(KconfigFile.ParseWithBlocks(path, content));
            else if (path.StartsWith("rust/", StringComparison.Ordinal))
                cSupport[path] = content;
        }
        var rustStats = files.Where(f => rustSources.ContainsKey(f.Path))
            .ToDictionary(f => f.Path, f => new LineStats(f.Code, f.Comment, f.Blank), StringComparer.Ordinal);
        var maintainersText = collector.Kept.GetValueOrDefault("MAINTAINERS");
        var entries = maintainersText is null ? [] : MaintainersFile.Parse(maintainersText, directories.Contains);
        var rust = RustAnalyzer.Analyze(new RustInputs(rustSources, rustStats, cSupport, kbuild, kconfig, allFiles) { Maintainers = entries }, RustKnowledge.Default);

        var maintainers = new List<MaintainersCoverage>();
        var uncovered = new List<string>();
        if (maintainersText is not null)
        {
            var covering = rustSources.Keys.Order(StringComparer.Ordinal)
                .ToDictionary(p => p, p => entries.Where(e => e.Covers(p)).ToList(), StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var covered = covering.Where(c => c.Value.Contains(entry)).Select(c => c.Key).ToList();
                if (covered.Count > 0)
                    maintainers.Add(new MaintainersCoverage(entry.Name, entry.Status, entry.Maintainers, entry.Reviewers, entry.Lists, covered.Count, covered));
            }
            // "THE REST" is get_maintainer.pl's catch-all (F: *, F: */): like RUST, it says nothing specific.
            uncovered = [.. covering.Where(c => c.Value.All(e => e.Name is "RUST" or "THE REST")).Select(c => c.Key)];
        }
        else
        {
            collector.Problem("MAINTAINERS", "missing; no maintainer coverage computed");
        }

        var languages = files.GroupBy(f => f.Language)
            .Select(g => new LanguageTotal(g.Key, Kind(g.Key), g.Count(), g.Sum(f => f.Code), g.Sum(f => f.Comment), g.Sum(f => f.Blank)))
            .OrderByDescending(l => l.Code).ThenBy(l => l.Language, StringComparer.Ordinal)
            .ToList();
        var directoryTotals = new List<DirectoryTotal>();
        foreach (var depth in new[] { 1, 2 })
        {
            directoryTotals.AddRange(files
                .GroupBy(f => (Dir: DirectoryAt(f.Path, depth), f.Language))
                .Select(g => new DirectoryTotal(g.Key.Dir, depth, g.Key.Language, g.Count(), g.Sum(f => f.Code), g.Sum(f => f.Comment), g.Sum(f => f.Blank)))
                .OrderBy(d => d.Path, StringComparer.Ordinal).ThenByDescending(d => d.Code).ThenBy(d => d.Language, StringComparer.Ordinal));
        }
        var problems = collector.Problems.OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Reason, StringComparer.Ordinal).ToList();
        var summary = new ScanSummary(
            collector.FileCount, collector.ByteCount, files.Count, collector.Binary.Count, collector.LinkCount,
            problems.Count(p => p.Counted), problems.Count(p => !p.Counted));
        CBindingsInventory? cBindings = null;
        if (collector.Kept.ContainsKey(IncludeSearch.BindgenRoots[0]))
        {
            var headers = collector.Kept.Where(k => RustReach.Needs(k.Key)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
            cBindings = RustReach.Analyze(new RustReachInputs(headers, allFiles.Contains, rustSources));
        }
        return new ScanResult(release, source, summary, languages, directoryTotals, rust with { UncoveredFiles = uncovered }, maintainers, problems)
        {
            CBindings = cBindings,
            Files = files,
            MaintainersText = maintainersText is null ? null : Encoding.UTF8.GetString(maintainersText),
        };
    }

    private static string Kind(string language) =>
        (LanguageCatalog.Default.ByName(language)?.Kind ?? LanguageKind.Other).ToString().ToLowerInvariant();

    /// <summary>The directory of a path at a depth: <c>drivers</c> (1) or <c>drivers/gpu</c> (2); root files are <c>.</c>,
    /// files directly in a top-level directory are <c>dir/.</c> at depth 2.</summary>
    internal static string DirectoryAt(string path, int depth)
    {
        var first = path.IndexOf('/');
        if (first < 0)
            return ".";
        if (depth == 1)
            return path[..first];
        var second = path.IndexOf('/', first + 1);
        return second < 0 ? path[..first] + "/." : path[..second];
    }

    /// <summary>Receives files from the tree reader on several threads.</summary>
    private sealed class Collector(LanguageCatalog catalog, IProgress<ScanProgress>? progress, ScanCache? cache) : ISourceFileSink
    {
        private long _files;
        private long _reused;
        private long _bytes;
        private long _links;

        private readonly ConcurrentDictionary<string, bool> _withdrawn = new(StringComparer.Ordinal);

        public ConcurrentBag<FileRecord> Files { get; private set; } = [];
        public ConcurrentBag<Problem> Problems { get; private set; } = [];
        public ConcurrentBag<string> Binary { get; private set; } = [];
        public ConcurrentDictionary<string, byte[]> Kept { get; } = new(StringComparer.Ordinal);
        public long FileCount => Interlocked.Read(ref _files);
        public long ByteCount => Interlocked.Read(ref _bytes);
        public long LinkCount => Interlocked.Read(ref _links);
        public long ReusedCount => Interlocked.Read(ref _reused);

        public void Listed(IReadOnlyList<(string Path, string ContentId)> files)
        {
            if (cache is null)
                return;
            var cached = new List<(string, string)>(files.Count);
            foreach (var (path, contentId) in files)
            {
                var name = Path.GetFileName(path);
                if (!ShouldKeep(path, name))
                    cached.Add((contentId, name));
            }
            cache.Prepare(cached);
        }

        public bool TryReuse(string path, string contentId)
        {
            var name = Path.GetFileName(path);
            if (cache is null || ShouldKeep(path, name) || !cache.TryGet(contentId, name, out var known))
                return false;
            Interlocked.Increment(ref _files);
            Interlocked.Add(ref _bytes, known.Bytes);
            Interlocked.Increment(ref _reused);
            if (known.Binary)
            {
                Binary.Add(path);
                return true;
            }
            if (known.InvalidUtf8)
                Problems.Add(new Problem(path, "not valid UTF-8; counted byte by byte", Counted: true));
            Files.Add(new FileRecord(path, known.Language, known.Bytes, known.Code, known.Comment, known.Blank));
            return true;
        }

        public void File(SourceFile file)
        {
            Interlocked.Increment(ref _files);
            Interlocked.Add(ref _bytes, file.Content.Length);
            var content = file.Content;
            // Binary as git and cloc decide it: a NUL byte near the start.
            if (content[..Math.Min(content.Length, 8000)].Contains((byte)0))
            {
                Binary.Add(file.Path);
                if (cache is not null && file.ContentId is { } binaryId && !ShouldKeep(file.Path, Path.GetFileName(file.Path.AsSpan())))
                    cache.Add(binaryId, Path.GetFileName(file.Path), new FileResult("", content.Length, 0, 0, 0, Binary: true, InvalidUtf8: false));
                return;
            }
            var name = Path.GetFileName(file.Path.AsSpan());
            var language = catalog.Classify(name, content);
            var stats = LineCounter.Count(content, language);
            var invalid = !System.Text.Unicode.Utf8.IsValid(content);
            if (invalid)
                Problems.Add(new Problem(file.Path, "not valid UTF-8; counted byte by byte", Counted: true));
            Files.Add(new FileRecord(file.Path, language.Name, content.Length, stats.Code, stats.Comment, stats.Blank));
            if (ShouldKeep(file.Path, name))
                Kept[file.Path] = content.ToArray();
            else if (cache is not null && file.ContentId is { } id)
                cache.Add(id, name.ToString(), new FileResult(language.Name, content.Length, stats.Code, stats.Comment, stats.Blank, Binary: false, invalid));
        }

        public void Problem(string path, string reason) => Problems.Add(new Problem(path, reason, Counted: false));

        public void Withdraw(string path, long? delivered, string reason)
        {
            Problems.Add(new Problem(path, reason, Counted: false));
            if (delivered is not { } bytes)
                return;
            _withdrawn[path] = true;
            Interlocked.Decrement(ref _files);
            Interlocked.Add(ref _bytes, -bytes);
        }

        /// <summary>Once every file is in: takes out what was withdrawn after it was counted.</summary>
        public void Settle()
        {
            if (_withdrawn.IsEmpty)
                return;
            Files = [.. Files.Where(f => !_withdrawn.ContainsKey(f.Path))];
            Binary = [.. Binary.Where(p => !_withdrawn.ContainsKey(p))];
            Problems = [.. Problems.Where(p => !(p.Counted && _withdrawn.ContainsKey(p.Path)))];
            foreach (var path in _withdrawn.Keys)
                Kept.TryRemove(path, out _);
        }

        public void Link(string path) => Interlocked.Increment(ref _links);

        public void Progress(long files, long bytes, long total) => progress?.Report(new ScanProgress(files, bytes, total));

        internal static bool ShouldKeep(string path, ReadOnlySpan<char> name) =>
            path is "Makefile" or "MAINTAINERS"
            || name.EndsWith(".rs", StringComparison.Ordinal)
            || name is "Makefile" or "Kbuild"
            || name.StartsWith("Kconfig", StringComparison.Ordinal)
            || RustReach.Needs(path);
    }
}
