using System.Collections.Concurrent;
using System.Diagnostics;
using Oxidation.CHeaders;
using Oxidation.Tests.RealTrees;
using Oxidation.Tree;

namespace Oxidation.Tests.CHeaders;

/// <summary>
/// The headers of a real tree, read once per test run from the tarball through the project's tree reader: every path
/// is listed (for <c>exists</c>), the bytes of <c>include/</c>, <c>arch/x86/include/</c> and <c>rust/</c> are kept.
/// The bindgen closure, its parsed declarations and their index are built from them once.
/// </summary>
public sealed class KernelHeaders
{
    private static readonly Lazy<KernelHeaders> Headers612 = new(() => new KernelHeaders(KernelTrees.Tarball612));
    private static readonly Lazy<KernelHeaders> Headers61 = new(() => new KernelHeaders(KernelTrees.Tarball61));

    public static KernelHeaders Linux612 => Headers612.Value;

    public static KernelHeaders Linux61 => Headers61.Value;

    public IReadOnlySet<string> Paths { get; }

    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public IncludeSearch Search { get; }

    public IncludeClosure Closure { get; }

    public IReadOnlyDictionary<string, CFileDeclarations> Parsed { get; }

    public DeclarationIndex Index { get; }

    /// <summary>Wall time to parse every header of the closure once (one thread).</summary>
    public TimeSpan ClosureParseTime { get; }

    private KernelHeaders(string tarball)
    {
        Assert.True(File.Exists(tarball), $"{tarball} is missing: .ci/run installs it");
        var paths = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var files = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var tree = SourceTrees.Open(tarball, path =>
        {
            paths.TryAdd(path, 0);
            return path.StartsWith("include/", StringComparison.Ordinal)
                || path.StartsWith("arch/x86/include/", StringComparison.Ordinal)
                || path.StartsWith("rust/", StringComparison.Ordinal);
        });
        tree.ReadAll(new Sink(files), Environment.ProcessorCount, CancellationToken.None);
        Paths = paths.Keys.ToHashSet(StringComparer.Ordinal);
        Files = files;
        Search = IncludeSearch.Bindgen("x86", p => files.GetValueOrDefault(p), p => files.ContainsKey(p));
        var includes = new ConcurrentDictionary<string, IReadOnlyList<CInclude>>(StringComparer.Ordinal);
        Closure = new IncludeResolver(
            Search,
            Paths.Contains,
            p => includes.GetOrAdd(p, q => files.TryGetValue(q, out var bytes) ? CDeclarations.Includes(bytes) : [])).Resolve(IncludeSearch.BindgenRoots);
        var watch = Stopwatch.StartNew();
        var parsed = new Dictionary<string, CFileDeclarations>(StringComparer.Ordinal);
        foreach (var header in Closure.Headers)
        {
            if (files.TryGetValue(header.Path, out var bytes))
                parsed[header.Path] = CDeclarations.Parse(bytes, header.Path);
        }
        ClosureParseTime = watch.Elapsed;
        Parsed = parsed;
        Index = new DeclarationIndex(Closure.Headers.Where(h => parsed.ContainsKey(h.Path)).Select(h => parsed[h.Path]));
    }

    private sealed class Sink(ConcurrentDictionary<string, byte[]> files) : ISourceFileSink
    {
        public void File(SourceFile file) => files[file.Path] = file.Content.ToArray();

        public void Problem(string path, string reason)
        {
        }

        public void Link(string path)
        {
        }

        public void Progress(long files, long bytes, long total)
        {
        }
    }
}
