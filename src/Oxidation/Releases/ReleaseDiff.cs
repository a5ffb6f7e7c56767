using Oxidation.Model;

namespace Oxidation.Releases;

/// <summary>A unit of one side of a diff: its name, kind, Kconfig symbol, files and whether it is marked experimental.</summary>
public sealed record UnitSide(string Name, string Kind, string? Kconfig, bool Experimental, IReadOnlyList<string> Files, long Code)
{
    internal static UnitSide Of(RustUnit u) => new(u.Name, u.Kind, u.Kconfig, u.Experimental, u.Files, u.Code);
}

/// <summary>A unit present under another name in the newer release, matched by its Kconfig symbol (<c>kconfig</c>) or a shared file (<c>files</c>).</summary>
public sealed record UnitRename(UnitSide From, UnitSide To, string MatchedBy);

/// <summary>A count in both releases.</summary>
public sealed record Change(long From, long To)
{
    /// <summary>To − From.</summary>
    public long Delta => To - From;
}

/// <summary>The unsafe audit in both releases (kernel Rust, compiled code; docs/measures.md).</summary>
public sealed record UnsafeChange(Change Blocks, Change BlocksJustified, Change BlocksTodo, Change BlocksUnjustified, Change Functions, Change Impls);

/// <summary>A file whose unjustified unsafe blocks grew: how many it had and has, and the newer release's sites (path:line).
/// Lines move between releases, so sites are matched per file, not per line: a file new in the newer release lists all its sites.</summary>
public sealed record UnjustifiedGrowth(string Path, int From, int To, IReadOnlyList<int> Lines, string? Unit);

/// <summary>Files and code lines of one Rust area in both releases.</summary>
public sealed record AreaChange(string Area, Change Files, Change Code);

/// <summary>A C helper for Rust newly present or gone (<c>rust_helper_*</c>, <c>RUST_CONST_HELPER_*</c>).</summary>
public sealed record HelperRef(string Name, string File);

/// <summary>
/// What changed between two scanned releases (issue 12): units added, removed and renamed, experimental flags dropped,
/// abstraction modules, bindgen closure headers and helpers, the unsafe audit and new unjustified sites, MAINTAINERS
/// entries covering Rust, Rust lines per area. <see cref="Compare"/> is the one definition: <c>oxidation diff</c>, the
/// report and the milestones use it.
/// </summary>
public sealed record ReleaseDiff(
    string From,
    string To,
    IReadOnlyList<UnitSide> UnitsAdded,
    IReadOnlyList<UnitSide> UnitsRemoved,
    IReadOnlyList<UnitRename> UnitsRenamed,
    IReadOnlyList<string> ExperimentalDropped,
    IReadOnlyList<string> ExperimentalAdded,
    IReadOnlyList<string> AbstractionsAdded,
    IReadOnlyList<string> AbstractionsRemoved,
    IReadOnlyList<string> HeadersAdded,
    IReadOnlyList<string> HeadersRemoved,
    IReadOnlyList<HelperRef> HelpersAdded,
    IReadOnlyList<HelperRef> HelpersRemoved,
    IReadOnlyList<string> CratesAdded,
    IReadOnlyList<string> CratesRemoved,
    UnsafeChange Unsafe,
    IReadOnlyList<UnjustifiedGrowth> NewUnjustified,
    IReadOnlyList<string> MaintainersAdded,
    IReadOnlyList<string> MaintainersRemoved,
    Change KernelRustCode,
    Change VendoredRustCode,
    IReadOnlyList<AreaChange> Areas)
{
    /// <summary>What changed from <paramref name="a"/> to <paramref name="b"/>.</summary>
    public static ReleaseDiff Compare(ScanResult a, ScanResult b)
    {
        var (added, removed, renamed) = MatchUnits(a.Rust.Units, b.Rust.Units);
        var before = a.Rust.Units.ToDictionary(u => u.Name, StringComparer.Ordinal);
        var pairs = b.Rust.Units.Where(u => before.ContainsKey(u.Name)).Select(u => (From: before[u.Name], To: u))
            .Concat(renamed.Select(r => (From: a.Rust.Units.First(u => u.Name == r.From.Name), To: b.Rust.Units.First(u => u.Name == r.To.Name)))).ToList();
        var ua = a.Rust.Unsafe;
        var ub = b.Rust.Unsafe;
        return new ReleaseDiff(a.Release, b.Release, added, removed, renamed,
            [.. pairs.Where(p => p.From.Experimental && !p.To.Experimental).Select(p => p.To.Name).Order(StringComparer.Ordinal)],
            [.. pairs.Where(p => !p.From.Experimental && p.To.Experimental).Select(p => p.To.Name).Order(StringComparer.Ordinal)],
            New(b.Rust.Bindings.Abstractions.Select(m => m.Module), a.Rust.Bindings.Abstractions.Select(m => m.Module)),
            New(a.Rust.Bindings.Abstractions.Select(m => m.Module), b.Rust.Bindings.Abstractions.Select(m => m.Module)),
            New(Headers(b), Headers(a)), New(Headers(a), Headers(b)),
            Helpers(b, a), Helpers(a, b),
            New(Crates(b), Crates(a)), New(Crates(a), Crates(b)),
            new UnsafeChange(new(ua.Blocks, ub.Blocks), new(ua.BlocksJustified, ub.BlocksJustified), new(ua.BlocksTodo, ub.BlocksTodo),
                new(ua.BlocksUnjustified, ub.BlocksUnjustified), new(ua.Functions, ub.Functions), new(ua.Impls, ub.Impls)),
            Unjustified(a, b),
            New(b.Maintainers.Select(m => m.Entry), a.Maintainers.Select(m => m.Entry)),
            New(a.Maintainers.Select(m => m.Entry), b.Maintainers.Select(m => m.Entry)),
            new(a.Rust.Kernel.Code, b.Rust.Kernel.Code), new(a.Rust.Vendored.Code, b.Rust.Vendored.Code),
            AreaChanges(a, b));
    }

    /// <summary>Units matched by name, then the unmatched ones by Kconfig symbol, then by a shared file.</summary>
    private static (List<UnitSide> Added, List<UnitSide> Removed, List<UnitRename> Renamed) MatchUnits(IReadOnlyList<RustUnit> a, IReadOnlyList<RustUnit> b)
    {
        var namesA = a.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        var namesB = b.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        var gone = a.Where(u => !namesB.Contains(u.Name)).ToList();
        var fresh = b.Where(u => !namesA.Contains(u.Name)).ToList();
        var renamed = new List<UnitRename>();
        foreach (var (matchedBy, same) in new (string, Func<RustUnit, RustUnit, bool>)[]
        {
            ("kconfig", (x, y) => x.Kconfig is not null && x.Kconfig == y.Kconfig),
            ("files", (x, y) => x.Files.Intersect(y.Files, StringComparer.Ordinal).Any()),
        })
        {
            foreach (var old in gone.ToList())
            {
                if (fresh.FirstOrDefault(n => same(old, n)) is not { } match)
                    continue;
                renamed.Add(new UnitRename(UnitSide.Of(old), UnitSide.Of(match), matchedBy));
                gone.Remove(old);
                fresh.Remove(match);
            }
        }
        static List<UnitSide> Sorted(IEnumerable<RustUnit> units) => [.. units.Select(UnitSide.Of).OrderBy(u => u.Name, StringComparer.Ordinal)];
        return (Sorted(fresh), Sorted(gone), [.. renamed.OrderBy(r => r.To.Name, StringComparer.Ordinal)]);
    }

    /// <summary>The headers of the bindgen closure (issue 14) when the scan has one, else the headers bindgen's inputs include.</summary>
    private static IEnumerable<string> Headers(ScanResult s) =>
        s.CBindings is { } c ? c.Headers.Select(h => h.Path) : s.Rust.Bindings.Headers.Select(h => h.Path);

    /// <summary>Kernel crates (a top directory of <c>rust/</c> with Rust files) and vendored crates, by name.</summary>
    internal static IEnumerable<string> Crates(ScanResult s) =>
        s.Rust.Files.Where(f => f.Path.StartsWith("rust/", StringComparison.Ordinal) && f.Path.IndexOf('/', 5) > 5)
            .Select(f => f.Path[5..f.Path.IndexOf('/', 5)]).Concat(s.Rust.VendoredCrates.Select(c => c.Name));

    private static List<HelperRef> Helpers(ScanResult x, ScanResult y)
    {
        var known = (y.CBindings?.Helpers.Select(h => h.Name) ?? y.Rust.Bindings.Helpers.Select(h => h.Name)).ToHashSet(StringComparer.Ordinal);
        var helpers = x.CBindings?.Helpers.Select(h => new HelperRef(h.Name, h.File)) ?? x.Rust.Bindings.Helpers.Select(h => new HelperRef(h.Name, h.File));
        return [.. helpers.Where(h => !known.Contains(h.Name)).DistinctBy(h => h.Name).OrderBy(h => h.File, StringComparer.Ordinal).ThenBy(h => h.Name, StringComparer.Ordinal)];
    }

    /// <summary>Compiled unjustified unsafe blocks per file: the files where they grew.</summary>
    private static List<UnjustifiedGrowth> Unjustified(ScanResult a, ScanResult b)
    {
        static ILookup<string, UnsafeSiteRecord> Of(ScanResult s) =>
            s.Rust.Unsafe.Sites.Where(x => x.Kind == "block" && x.Status == "unjustified" && !x.DocTest).ToLookup(x => x.Path, StringComparer.Ordinal);
        var before = Of(a);
        return [.. Of(b).Where(g => g.Count() > before[g.Key].Count())
            .Select(g => new UnjustifiedGrowth(g.Key, before[g.Key].Count(), g.Count(), [.. g.Select(x => x.Line).Order()], g.First().Unit))
            .OrderBy(g => g.Path, StringComparer.Ordinal)];
    }

    private static List<AreaChange> AreaChanges(ScanResult a, ScanResult b)
    {
        var x = a.Rust.Areas.ToDictionary(r => r.Area, StringComparer.Ordinal);
        var y = b.Rust.Areas.ToDictionary(r => r.Area, StringComparer.Ordinal);
        return [.. x.Keys.Union(y.Keys).Order(StringComparer.Ordinal).Select(area => new AreaChange(area,
            new(x.GetValueOrDefault(area)?.Files ?? 0, y.GetValueOrDefault(area)?.Files ?? 0),
            new(x.GetValueOrDefault(area)?.Code ?? 0, y.GetValueOrDefault(area)?.Code ?? 0)))];
    }

    /// <summary>The distinct items of <paramref name="these"/> not in <paramref name="those"/>, sorted.</summary>
    private static List<string> New(IEnumerable<string> these, IEnumerable<string> those)
    {
        var known = those.ToHashSet(StringComparer.Ordinal);
        return [.. these.Where(t => !known.Contains(t)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
