using Oxidation.Model;

namespace Oxidation.CHeaders;

/// <summary>A MAINTAINERS entry to tell: its name, maintainers (M:), reviewers (R:) and lists (L:).</summary>
public sealed record MaintainersContact(string Entry, IReadOnlyList<string> Maintainers, IReadOnlyList<string> Reviewers, IReadOnlyList<string> Lists);

/// <summary>
/// What a scanned release says about the C side Rust reaches (read from the database): the closure's headers and
/// declarations, the helpers, every Rust use, which kernel-crate modules each Rust file outside <c>rust/</c> names, the
/// unit of each Rust file, the tree's files, and the MAINTAINERS entries covering a path.
/// </summary>
public sealed record ReleaseReach(
    string Release,
    IReadOnlySet<string> ClosureHeaders,
    IReadOnlyList<CDeclarationRecord> Declarations,
    IReadOnlyList<CHelper> Helpers,
    IReadOnlyList<RustCUse> Uses,
    IReadOnlyList<RustModuleUse> ModuleUses,
    IReadOnlyDictionary<string, string?> UnitOfFile,
    IReadOnlySet<string> TreeFiles,
    Func<string, IReadOnlyList<MaintainersContact>> Maintainers)
{
    /// <summary>The bytes of the closure's headers when the reach was read from a tree (<c>impact --tree</c>, <c>--rev</c>,
    /// <c>--commit</c>): a patch's lines are checked against them. Null for a stored release, which keeps no header text.</summary>
    public IReadOnlyDictionary<string, byte[]>? HeaderBytes { get; init; }

    /// <summary>The reach of a scan held in memory (what the database would give back), or null when the tree has no bindgen input.</summary>
    public static ReleaseReach? FromScan(ScanResult scan)
    {
        if (scan.CBindings is not { } c)
            return null;
        var files = scan.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return new ReleaseReach(scan.Release, c.Headers.Select(h => h.Path).ToHashSet(StringComparer.Ordinal), c.Index, c.Helpers, c.Uses, c.ModuleUses,
            scan.Rust.Files.ToDictionary(f => f.Path, f => f.Unit, StringComparer.Ordinal), files, Contacts(scan.MaintainersText, files));
    }

    /// <summary>The MAINTAINERS entries covering a path (get_maintainer.pl's matching, THE REST left out), cached per path.</summary>
    public static Func<string, IReadOnlyList<MaintainersContact>> Contacts(string? maintainers, IEnumerable<string> files)
    {
        if (maintainers is null)
            return _ => [];
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in files)
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                directories.Add(path[..slash]);
        }
        var index = new Oxidation.Maintainers.MaintainersIndex(Oxidation.Maintainers.MaintainersFile.Parse(System.Text.Encoding.UTF8.GetBytes(maintainers), directories.Contains),
            new HashSet<string>(StringComparer.Ordinal) { "THE REST" });
        var cache = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<MaintainersContact>>(StringComparer.Ordinal);
        return path => cache.GetOrAdd(path, p => [.. index.Covering(p).Select(e => new MaintainersContact(e.Name, [.. e.Maintainers], [.. e.Reviewers], [.. e.Lists]))]);
    }
}

/// <summary>The four answers to "does Rust depend on this declaration".</summary>
public static class ImpactVerdict
{
    /// <summary>A Rust file outside the kernel crate (a driver, a sample) names it through <c>bindings::</c>.</summary>
    public const string Direct = "used by Rust directly";

    /// <summary>Only the kernel crate (the abstractions under <c>rust/</c>) or a helper reaches it.</summary>
    public const string Abstraction = "used through an abstraction";

    /// <summary>In a header bindgen reads, but no Rust use.</summary>
    public const string Unused = "visible to bindgen but unused";

    /// <summary>Not in a header bindgen reads.</summary>
    public const string NotVisible = "not visible to Rust";
}

/// <summary>One Rust use as shown: path:line, the name used, how (<c>bindings</c>, <c>helper</c>, <c>field</c>).</summary>
public sealed record ImpactUse(string Path, int Line, string Item, string Via, string? Helper);

/// <summary>What changing one declaration costs Rust.</summary>
public sealed record DeclarationImpact(
    string Kind,
    string Name,
    string? Parent,
    string Header,
    int Line,
    string Text,
    bool VisibleToBindgen,
    IReadOnlyList<string> Helpers,
    IReadOnlyList<ImpactUse> Uses,
    IReadOnlyList<string> Modules,
    IReadOnlyList<string> Units,
    IReadOnlyList<MaintainersContact> CSide,
    IReadOnlyList<MaintainersContact> RustSide,
    string Verdict);

/// <summary>A file of a patch that touches no declaration bindgen reads, or could not be matched: the reason.</summary>
public sealed record ImpactProblem(string Path, string Reason)
{
    /// <summary>The answer lacks what this file or symbol would touch: a file not in the tree, a hunk that does not match it,
    /// a symbol with no declaration. False for a file that touches nothing Rust can see (an answer, not a gap).</summary>
    public bool Incomplete { get; init; }
}

/// <summary>The answer of <c>oxidation impact</c>: the declarations touched, and the files or symbols it could not place.</summary>
public sealed record ImpactReport(string Release, IReadOnlyList<DeclarationImpact> Declarations, IReadOnlyList<ImpactProblem> Problems)
{
    /// <summary>Where the declarations were read: <c>database</c> for a stored release, else the tree (<c>REPO@COMMIT</c>, a
    /// directory, a tarball).</summary>
    public string Source { get; init; } = "database";

    /// <summary>The commit analysed with <c>--commit</c> (its diff against <see cref="Source"/>, its first parent), else null.</summary>
    public string? Commit { get; init; }
}

/// <summary>
/// Impact of C changes on Rust, from a scanned release's <see cref="ReleaseReach"/>. Pure. A declaration's uses are those
/// that resolve to it (by name, through a helper that wraps it, or as a field); a struct's include its fields' uses.
/// </summary>
public static class Impact
{
    /// <summary>The impact of the declarations <paramref name="symbols"/> name: <c>kmalloc</c>, <c>struct device</c>,
    /// <c>union x</c>, <c>enum phy_state</c>, <c>struct phy_device.speed</c>. A name with no declaration is a problem with near names.</summary>
    public static ImpactReport OfSymbols(ReleaseReach reach, IEnumerable<string> symbols)
    {
        var found = new List<DeclarationImpact>();
        var problems = new List<ImpactProblem>();
        foreach (var raw in symbols)
        {
            var symbol = raw.Trim();
            var matches = Lookup(reach, symbol);
            if (matches.Count == 0)
            {
                var near = Near(reach, symbol);
                problems.Add(new ImpactProblem(symbol, $"no declaration named {symbol} in the {reach.ClosureHeaders.Count} headers bindgen reads in {reach.Release}"
                    + (near.Count > 0 ? $"; near names: {string.Join(", ", near)}" : ""))
                { Incomplete = true });
                continue;
            }
            found.AddRange(matches.Select(d => Of(reach, d)));
        }
        return new ImpactReport(reach.Release, found, problems);
    }

    /// <summary>The impact of a parsed patch: declarations whose lines a hunk removes or changes (or inserts between),
    /// the innermost one when a field and its struct are both touched.</summary>
    public static ImpactReport OfPatch(ReleaseReach reach, UnifiedDiff diff)
    {
        var found = new List<DeclarationImpact>();
        var problems = diff.Problems.Select(p => new ImpactProblem(p.Path, p.Reason)).ToList();
        var byHeader = reach.Declarations.GroupBy(d => d.Header, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var file in diff.Files)
        {
            if (file.IsNew)
            {
                problems.Add(new ImpactProblem(file.NewPath, "a new file: no declaration of the release is touched"));
                continue;
            }
            if (file.OldPath.EndsWith(".rs", StringComparison.Ordinal))
            {
                problems.Add(new ImpactProblem(file.OldPath, "a Rust source: impact reads what the C side of a change touches"));
                continue;
            }
            if (!reach.TreeFiles.Contains(file.OldPath))
            {
                problems.Add(new ImpactProblem(file.OldPath, $"not in the tree of {reach.Release}") { Incomplete = true });
                continue;
            }
            if (!reach.ClosureHeaders.Contains(file.OldPath))
            {
                problems.Add(new ImpactProblem(file.OldPath, $"{ImpactVerdict.NotVisible}: not in the headers bindgen reads"));
                continue;
            }
            if (reach.HeaderBytes?.GetValueOrDefault(file.OldPath) is { } bytes && Mismatch(file, bytes) is { } mismatch)
            {
                problems.Add(new ImpactProblem(file.OldPath, $"the patch does not apply to {reach.Release}: {mismatch}") { Incomplete = true });
                continue;
            }
            var declarations = byHeader.GetValueOrDefault(file.OldPath) ?? [];
            var touched = declarations.Where(d => file.TouchedOldLines.Any(l => l >= d.FirstLine && l <= d.LastLine)).ToList();
            // A container (struct, union, enum) counts only when a line of its own is touched, not just a member's.
            var innermost = touched.Where(d => d.Kind is not ("struct" or "union" or "enum")
                || !touched.Any(m => m.Parent == $"{d.Kind} {d.Name}" && m.Kind is "field" or "enum_value")
                || file.TouchedOldLines.Any(l => l == d.FirstLine || l == d.LastLine)).ToList();
            if (innermost.Count == 0)
                problems.Add(new ImpactProblem(file.OldPath, "changes lines outside any declaration (comments, blank lines, #include or #if lines)"));
            found.AddRange(innermost.Select(d => Of(reach, d)));
        }
        return new ImpactReport(reach.Release, found, problems);
    }

    /// <summary>The first line the patch says the old file has (context or removed) that the file does not have there, or null.</summary>
    private static string? Mismatch(DiffFile file, byte[] bytes)
    {
        var lines = System.Text.Encoding.UTF8.GetString(bytes).Split('\n');
        var count = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
        foreach (var (number, text) in file.OldLines.OrderBy(l => l.Key))
        {
            var actual = number <= count ? lines[number - 1].TrimEnd('\r') : null;
            if (actual is null)
                return $"line {number} is past the end of the file ({count} lines)";
            if (actual != text.TrimEnd('\r'))
                return $"line {number} is \"{Clip(actual)}\", the patch has \"{Clip(text)}\"";
        }
        return null;
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static List<CDeclarationRecord> Lookup(ReleaseReach reach, string symbol)
    {
        string? parent = null;
        var name = symbol;
        string[] kinds = ["function", "macro", "typedef", "variable", "enum_value", "struct", "union", "enum"];
        var space = symbol.IndexOf(' ');
        if (space > 0 && symbol[..space] is "struct" or "union" or "enum")
        {
            var rest = symbol[(space + 1)..].Trim();
            var dot = rest.IndexOf('.');
            if (dot > 0)
            {
                parent = $"{symbol[..space]} {rest[..dot]}";
                name = rest[(dot + 1)..];
                kinds = ["field", "enum_value"];
            }
            else
            {
                name = rest;
                kinds = [symbol[..space]];
            }
        }
        return [.. reach.Declarations.Where(d => d.Name == name && kinds.Contains(d.Kind) && (parent is null || d.Parent == parent))];
    }

    private static List<string> Near(ReleaseReach reach, string symbol)
    {
        var name = symbol.Contains(' ') ? symbol[(symbol.LastIndexOf(' ') + 1)..] : symbol;
        return [.. reach.Declarations.Where(d => d.Kind != "field").Select(d => d.Kind is "struct" or "union" or "enum" ? $"{d.Kind} {d.Name}" : d.Name)
            .Distinct(StringComparer.Ordinal)
            .Select(n => (Name: n, Distance: Distance(name, n.Contains(' ') ? n[(n.IndexOf(' ') + 1)..] : n)))
            .Where(x => x.Distance <= Math.Max(2, name.Length / 4))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(5).Select(x => x.Name)];
    }

    /// <summary>Levenshtein distance.</summary>
    internal static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 8)
            return int.MaxValue;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The target name a use records for <paramref name="d"/>.</summary>
    private static string TargetOf(CDeclarationRecord d) => d.Kind == "field" ? $"{d.Parent}.{d.Name}" : d.Name;

    private static DeclarationImpact Of(ReleaseReach reach, CDeclarationRecord d)
    {
        var target = TargetOf(d);
        var container = d.Kind is "struct" or "union" ? $"{d.Kind} {d.Name}." : null;
        var uses = reach.Uses.Where(u => u.TargetHeader == d.Header && (
                (u.TargetKind == d.Kind && u.Target == target && u.TargetLine == d.Line)
                || (container is not null && u.TargetKind == "field" && u.Target!.StartsWith(container, StringComparison.Ordinal))))
            .Select(u => new ImpactUse(u.Path, u.Line, u.Item, u.Via, u.Helper))
            .Distinct()
            .OrderBy(u => u.Path, StringComparer.Ordinal).ThenBy(u => u.Line).ThenBy(u => u.Item, StringComparer.Ordinal)
            .ToList();
        var helpers = reach.Helpers.Where(h => h.Wraps.Contains(d.Name) && d.Kind is "function" or "macro" or "variable").Select(h => h.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        var modules = uses.Select(u => Module(u.Path)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var directFiles = uses.Where(u => !u.Path.StartsWith("rust/", StringComparison.Ordinal)).Select(u => u.Path);
        var moduleFiles = reach.ModuleUses.Where(m => modules.Contains(m.Module)).Select(m => m.Path);
        var units = directFiles.Concat(moduleFiles).Distinct(StringComparer.Ordinal)
            .Select(p => reach.UnitOfFile.GetValueOrDefault(p) ?? p).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rustSide = uses.Select(u => u.Path).Concat(moduleFiles).Distinct(StringComparer.Ordinal)
            .SelectMany(reach.Maintainers).DistinctBy(m => m.Entry).OrderBy(m => m.Entry, StringComparer.Ordinal).ToList();
        var verdict = uses.Count == 0 ? ImpactVerdict.Unused
            : uses.Any(u => !u.Path.StartsWith("rust/", StringComparison.Ordinal)) ? ImpactVerdict.Direct
            : ImpactVerdict.Abstraction;
        return new DeclarationImpact(d.Kind, d.Name, d.Parent, d.Header, d.Line, d.Text, true, helpers, uses, modules, units,
            [.. reach.Maintainers(d.Header).OrderBy(m => m.Entry, StringComparer.Ordinal)], rustSide, verdict);
    }

    /// <summary>The kernel-crate module of a Rust file: <c>rust/kernel/net/phy.rs</c> → <c>net</c>, <c>rust/kernel/alloc.rs</c> →
    /// <c>alloc</c> (the rule of <see cref="RustAbstraction"/>); null outside <c>rust/kernel/</c>.</summary>
    public static string? Module(string path)
    {
        if (!path.StartsWith("rust/kernel/", StringComparison.Ordinal))
            return null;
        var rest = path["rust/kernel/".Length..];
        var slash = rest.IndexOf('/');
        return slash < 0 ? Path.GetFileNameWithoutExtension(rest) : rest[..slash];
    }
}
