using System.Text;
using System.Text.RegularExpressions;

namespace Oxidation.CHeaders;

/// <summary>
/// How the kernel's build searches for headers when it runs bindgen: the <c>-I</c> directories in order, the files
/// given with <c>-include</c>, and the <c>asm/</c> wrappers Kbuild generates for an architecture
/// (<c>arch/ARCH/include/generated/asm/X.h</c> holding just <c>#include &lt;asm-generic/X.h&gt;</c>).
/// </summary>
/// <param name="Architecture">The <c>SRCARCH</c> (<c>x86</c>).</param>
/// <param name="Directories">The <c>-I</c> directories, relative to the tree root, in search order.</param>
/// <param name="ForcedIncludes">The <c>-include</c> files, read before the root header in this order.</param>
/// <param name="GenericWrappers">Generated wrapper path → the <c>asm-generic</c> header it includes.</param>
/// <param name="Generated">Paths Kbuild generates at build time (<c>generated-y</c>), which a source tree lacks.</param>
public sealed partial record IncludeSearch(
    string Architecture,
    IReadOnlyList<string> Directories,
    IReadOnlyList<string> ForcedIncludes,
    IReadOnlyDictionary<string, string> GenericWrappers,
    IReadOnlySet<string> Generated)
{
    /// <summary>The bindgen roots: <c>rust/bindings/bindings_helper.h</c> and <c>rust/uapi/uapi_helper.h</c> (6.2 and later).</summary>
    public static IReadOnlyList<string> BindgenRoots { get; } = ["rust/bindings/bindings_helper.h", "rust/uapi/uapi_helper.h"];

    /// <summary>
    /// The search of <c>rust/Makefile</c>'s <c>cmd_bindgen</c>: its <c>bindgen_c_flags</c> are the kernel's <c>c_flags</c>,
    /// whose include options are the top Makefile's <c>LINUXINCLUDE</c> (with <c>USERINCLUDE</c>, building in the source
    /// tree so <c>$(objtree)</c> = <c>$(srctree)</c>) and <c>scripts/Makefile.lib</c>'s <c>-include compiler_types.h</c>.
    /// The wrappers follow <c>scripts/Makefile.asm-generic</c> (6.1) / <c>Makefile.asm-headers</c> (6.12): every
    /// <c>generic-y</c> of the architecture's <c>Kbuild</c>, and every <c>mandatory-y</c> of <c>include/asm-generic/Kbuild</c>
    /// that the architecture neither has nor generates (the same for the uapi directories).
    /// </summary>
    /// <param name="architecture">The <c>SRCARCH</c>; Oxidation uses <c>x86</c>.</param>
    /// <param name="read">The bytes of a tree file, or null when the tree has none.</param>
    /// <param name="exists">Whether the tree has a file.</param>
    public static IncludeSearch Bindgen(string architecture, Func<string, byte[]?> read, Func<string, bool> exists)
    {
        var arch = $"arch/{architecture}/include";
        var wrappers = new Dictionary<string, string>(StringComparer.Ordinal);
        var generated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (source, generic, target) in new[] { ($"{arch}/asm", "include/asm-generic", $"{arch}/generated/asm"), ($"{arch}/uapi/asm", "include/uapi/asm-generic", $"{arch}/generated/uapi/asm") })
        {
            var archLists = KbuildLists(read($"{source}/Kbuild"));
            var genericLists = KbuildLists(read($"{generic}/Kbuild"));
            var generatedY = archLists.GetValueOrDefault("generated-y", []);
            foreach (var name in generatedY)
                generated.Add($"{target}/{name}");
            var names = archLists.GetValueOrDefault("generic-y", [])
                .Concat(genericLists.GetValueOrDefault("mandatory-y", []).Where(n => !generatedY.Contains(n) && !exists($"{source}/{n}")));
            foreach (var name in names)
                wrappers.TryAdd($"{target}/{name}", $"asm-generic/{name}");
        }
        return new IncludeSearch(
            architecture,
            [arch, $"{arch}/generated", "include", $"{arch}/uapi", $"{arch}/generated/uapi", "include/uapi", "include/generated/uapi"],
            ["include/linux/compiler-version.h", "include/linux/kconfig.h", "include/linux/compiler_types.h"],
            wrappers,
            generated);
    }

    private static Dictionary<string, List<string>> KbuildLists(byte[]? bytes)
    {
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (bytes is null)
            return lists;
        foreach (Match m in KbuildList().Matches(Encoding.UTF8.GetString(bytes)))
        {
            var key = m.Groups["kind"].Value + "-y";
            if (!lists.TryGetValue(key, out var list))
                lists[key] = list = [];
            list.AddRange(m.Groups["names"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }
        return lists;
    }

    [GeneratedRegex(@"^[ \t]*(?<kind>generic|generated|mandatory)-y[ \t]*[+:]?=[ \t]*(?<names>[^\n#]*)", RegexOptions.Multiline)]
    private static partial Regex KbuildList();
}

/// <summary>Why an <c>#include</c> found no file.</summary>
public enum UnresolvedReason
{
    /// <summary>No file of that name on the search path, nor in the including file's directory.</summary>
    NotFound,

    /// <summary>A header the build generates (<c>generated/…</c>, an architecture's <c>generated-y</c>): absent from a source tree.</summary>
    Generated,

    /// <summary><c>#include MACRO</c>: the name is computed by the preprocessor, which is not run.</summary>
    Computed,
}

/// <summary>A header reached from a root: the file whose <c>#include</c> reached it first (in the preprocessor's
/// depth-first order), that line, and its depth (0 for the roots and the <c>-include</c> files).</summary>
public sealed record IncludedHeader(string Path, string? IncludedBy, int Line, int Depth, IReadOnlyList<string> Roots)
{
    /// <summary>A wrapper Kbuild would generate (<c>arch/x86/include/generated/asm/X.h</c>), not a file of the tree.</summary>
    public bool IsGenericWrapper { get; init; }
}

/// <summary>An <c>#include</c> that found no file, once per spelling, with its first includer.</summary>
public sealed record UnresolvedInclude(string Target, bool Angled, string IncludedBy, int Line, UnresolvedReason Reason);

/// <summary>The transitive include closure of some roots; <see cref="MissingRoots"/> are the roots the tree lacks
/// (6.1 has no <c>rust/uapi/uapi_helper.h</c>).</summary>
public sealed record IncludeClosure(IReadOnlyList<IncludedHeader> Headers, IReadOnlyList<UnresolvedInclude> Unresolved, IReadOnlyList<string> MissingRoots)
{
    private readonly Dictionary<string, IncludedHeader> _byPath = Headers.ToDictionary(h => h.Path, StringComparer.Ordinal);

    /// <summary>The header at <paramref name="path"/> when the closure reaches it.</summary>
    public IncludedHeader? Find(string path) => _byPath.GetValueOrDefault(path);
}

/// <summary>
/// Resolves the transitive include closure as the preprocessor would, without running it: <c>&lt;x&gt;</c> is searched on
/// the <c>-I</c> directories in order, <c>"x"</c> first in the including file's directory, <c>#include_next</c> from the
/// directory after the one its file was found in. Every <c>#include</c> line counts, in every branch of
/// <c>#if</c>/<c>#else</c> (only literal <c>#if 0</c> code is skipped), so the closure is a superset of any one
/// configuration's. Pure: the tree is reached through <c>exists</c> and <c>includesOf</c>.
/// </summary>
public sealed class IncludeResolver(IncludeSearch search, Func<string, bool> exists, Func<string, IReadOnlyList<CInclude>> includesOf)
{
    /// <summary>The closure of <paramref name="roots"/> (roots absent from the tree are listed apart), each root a
    /// translation unit read after the <c>-include</c> files.</summary>
    public IncludeClosure Resolve(IEnumerable<string> roots)
    {
        var headers = new Dictionary<string, (IncludedHeader Header, List<string> Roots)>(StringComparer.Ordinal);
        var order = new List<string>();
        var unresolved = new Dictionary<(string, bool), UnresolvedInclude>();
        var missing = new List<string>();
        foreach (var root in roots)
        {
            if (!exists(root))
            {
                missing.Add(root);
                continue;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<Frame>();
            foreach (var unit in search.ForcedIncludes.Where(exists).Append(root).Reverse())
                stack.Push(new Frame(unit, null, 0, 0, -1));
            while (stack.Count > 0)
            {
                var frame = stack.Pop();
                {
                    if (!seen.Add(frame.Path))
                        continue;
                    if (!headers.TryGetValue(frame.Path, out var known))
                    {
                        headers[frame.Path] = known = (new IncludedHeader(frame.Path, frame.IncludedBy, frame.Line, frame.Depth, [])
                        {
                            IsGenericWrapper = search.GenericWrappers.ContainsKey(frame.Path),
                        }, []);
                        order.Add(frame.Path);
                    }
                    known.Roots.Add(root);
                    // Children pushed in reverse so the first #include is expanded first, as the preprocessor does.
                    var includes = search.GenericWrappers.TryGetValue(frame.Path, out var target)
                        ? [new CInclude(target, Angled: true, IsNext: false, IsComputed: false, Line: 1)]
                        : includesOf(frame.Path);
                    var children = new List<Frame>(includes.Count);
                    foreach (var include in includes)
                    {
                        var (found, directory, reason) = Find(include, frame.Path, frame.Directory);
                        if (found is null)
                            unresolved.TryAdd((include.Target, include.Angled), new UnresolvedInclude(include.Target, include.Angled, frame.Path, include.Line, reason));
                        else if (!seen.Contains(found))
                            children.Add(new Frame(found, frame.Path, include.Line, frame.Depth + 1, directory));
                    }
                    for (var k = children.Count - 1; k >= 0; k--)
                        stack.Push(children[k]);
                }
            }
        }
        return new IncludeClosure(
            [.. order.Select(p => headers[p].Header with { Roots = headers[p].Roots })],
            [.. unresolved.Values],
            missing);
    }

    private (string? Path, int Directory, UnresolvedReason Reason) Find(CInclude include, string from, int fromDirectory)
    {
        if (include.IsComputed)
            return (null, -1, UnresolvedReason.Computed);
        var generated = include.Target.StartsWith("generated/", StringComparison.Ordinal);
        if (!include.Angled && !include.IsNext)
        {
            var slash = from.LastIndexOf('/');
            if (Normalise(slash < 0 ? include.Target : $"{from[..slash]}/{include.Target}") is { } local && Exists(local))
                return (local, -1, default);
        }
        var first = include.IsNext && fromDirectory >= 0 ? fromDirectory + 1 : 0;
        for (var d = first; d < search.Directories.Count; d++)
        {
            if (Normalise($"{search.Directories[d]}/{include.Target}") is not { } candidate)
                continue;
            if (Exists(candidate))
                return (candidate, d, default);
            if (search.Generated.Contains(candidate))
                generated = true;
        }
        return (null, -1, generated ? UnresolvedReason.Generated : UnresolvedReason.NotFound);
    }

    private bool Exists(string path) => search.GenericWrappers.ContainsKey(path) || exists(path);

    /// <summary>Resolves <c>.</c> and <c>..</c>; null for a path that leaves the tree.</summary>
    internal static string? Normalise(string path)
    {
        if (!path.Contains("./", StringComparison.Ordinal) && !path.Contains("//", StringComparison.Ordinal))
            return path.StartsWith('/') ? null : path;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private readonly record struct Frame(string Path, string? IncludedBy, int Line, int Depth, int Directory);
}
