using Oxidation.History;
using Oxidation.Model;
using Oxidation.Releases;
using Oxidation.Reports.Claims;
using Oxidation.Rust;
using Oxidation.Store;

namespace Oxidation.Reports;

/// <summary>Reads everything the report shows from the database, once, into a <see cref="ReportModel"/>.</summary>
public static class ReportBuilder
{
    /// <summary>The link for a line of a kernel file at a release (the stable tree on git.kernel.org carries every vX.Y.Z tag).</summary>
    public static string SourceLink(string release, string path, int line) =>
        $"https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/{path}?h=v{release}#n{line}";

    /// <summary>
    /// Builds the model; <paramref name="claims"/> (default: the shipped claims) are checked against the same database;
    /// <paramref name="asOf"/> ends Rust's CVE exposure (default: the day of the CVE import).
    /// </summary>
    public static ReportModel Build(OxidationDatabase db, ClaimsFile? claims = null, DateOnly? asOf = null)
    {
        var releases = Release.SortNames(ScanStore.Releases(db));
        // The typed scans, as the scan wrote them (ScanStore.Load): the report counts from the same records as the
        // console and the JSON, not from SQL of its own.
        var scans = releases.Select(r => ScanStore.Load(db, r) ?? throw new StoreException($"{db.Path}: release {r} has no stored scan JSON")).ToList();
        var abstractions = scans.SelectMany(Abstractions).ToList();
        var summaries = scans.Select(s => Summary(s, abstractions.Count(a => a.Release == s.Release))).ToList();
        var newest = scans.Count > 0 ? scans[^1] : null;
        var cves = CveStore.PublishedCount(db) > 0 ? CveStore.Statistics(db, newest?.Release, asOf) : null;
        HistoryReport? history = null;
        if (HistoryStore.CommitCount(db) > 0)
        {
            var (commits, lines, order) = HistoryStore.Load(db);
            history = HistoryStatistics.Compute(commits, lines, order, partial: false);
        }
        claims ??= ClaimsFile.Shipped();
        var verdicts = ClaimChecker.Evaluate(db, claims);
        return new ReportModel(
            db.Path,
            summaries,
            Growth(scans, history),
            Units(scans, out var removed),
            removed,
            abstractions,
            [.. scans.SelectMany(s => s.Rust.Bindings.Headers.OrderBy(h => h.Path, StringComparer.Ordinal).Select(h => new BindingsHeader(s.Release, h.Path, h.IncludedFrom)))],
            ReachStore.CoverageHistory(db),
            newest is null ? [] : UnsafeGroups(newest.Rust.Unsafe.ByArea),
            newest is null ? [] : UnsafeGroups(newest.Rust.Unsafe.ByUnit),
            newest is null ? [] : Unjustified(newest),
            cves,
            history,
            verdicts,
            claims.Path)
        {
            Changes = Changes(scans),
        };
    }

    /// <summary>Each stored release against the one before it, through the one diff (<see cref="ReleaseDiff.Compare"/>).</summary>
    private static List<ReleaseDiff> Changes(List<ScanResult> scans) =>
        [.. scans.Zip(scans.Skip(1), ReleaseDiff.Compare)];

    private static ReleaseSummary Summary(ScanResult scan, int abstractionModules)
    {
        var rust = scan.Rust;
        return new ReleaseSummary(
            scan.Release,
            scan.Source,
            scan.Languages.Where(l => ScanMeasures.IsProgramming(l.Kind)).Sum(l => l.Code),
            rust.Kernel.Files,
            rust.Kernel.Code,
            rust.Vendored.Code,
            rust.Units.Count,
            rust.Unsafe.Blocks,
            rust.Unsafe.BlocksJustified,
            rust.Bindings.Headers.Count,
            rust.Bindings.Helpers.Count,
            abstractionModules);
    }

    private static List<AreaLines> Growth(List<ScanResult> scans, HistoryReport? history)
    {
        // rust.areas holds the vendored crates as the area "vendored", apart from kernel Rust.
        var rows = scans.SelectMany(s => s.Rust.Areas.OrderBy(a => a.Area, StringComparer.Ordinal).Select(a => new AreaLines(s.Release, "scan", a.Area, a.Files, a.Code))).ToList();
        if (history is not null)
        {
            foreach (var tag in history.Releases.Where(h => !h.Unreleased))
                rows.AddRange(tag.Lines.OrderBy(l => l.Area, StringComparer.Ordinal).Select(l => new AreaLines(l.Release, "history", l.Area, l.Files, l.Code)));
        }
        return rows;
    }

    private static List<UnitRow> Units(List<ScanResult> scans, out List<RemovedUnit> removed)
    {
        var rows = new List<UnitRow>();
        removed = [];
        HashSet<string>? previous = null;
        string? previousRelease = null;
        foreach (var scan in scans)
        {
            var units = scan.Rust.Units.OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
            var names = units.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
            rows.AddRange(units.Select(u => new UnitRow(scan.Release, u.Name, u.Kind, u.Kconfig, u.Prompt, u.Experimental, u.Counterpart, u.LinkedInto,
                u.Code, u.UnsafeBlocks, u.Files.Count > 0 ? u.Files[0] : "", previous is null ? "first scanned" : previous.Contains(u.Name) ? "kept" : "new")));
            if (previous is not null)
                removed.AddRange(previous.Where(p => !names.Contains(p)).Order(StringComparer.Ordinal).Select(p => new RemovedUnit(previousRelease!, p, scan.Release)));
            previous = names;
            previousRelease = scan.Release;
        }
        return rows;
    }

    /// <summary>The abstraction modules of a release (<see cref="RustAnalyzer.AbstractionModule"/>) with the MAINTAINERS entries covering their files.</summary>
    private static IEnumerable<AbstractionModule> Abstractions(ScanResult scan)
    {
        var entries = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var m in scan.Maintainers)
        {
            foreach (var f in m.Files)
            {
                if (!entries.TryGetValue(f, out var set))
                    entries[f] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(m.Entry);
            }
        }
        return scan.Rust.Files
            .Select(f => (Module: RustAnalyzer.AbstractionModule(f.Path, f.Area), f.Path, f.Code))
            .Where(f => f.Module is not null)
            .GroupBy(f => f.Module!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AbstractionModule(scan.Release, g.Key, g.Count(), g.Sum(f => f.Code),
                [.. g.SelectMany(f => entries.GetValueOrDefault(f.Path) ?? []).Where(e => e != "THE REST").Distinct().Order(StringComparer.Ordinal)]));
    }

    /// <summary>
    /// The scan's own unsafe groups (<see cref="UnsafeByGroup.Of"/>: compiled sites, doc-tests apart) that hold any site,
    /// most blocks first: the report shows what the JSON's <c>rust.unsafe.byArea</c> and <c>byUnit</c> say, not a recount.
    /// </summary>
    private static List<UnsafeGroup> UnsafeGroups(IEnumerable<UnsafeByGroup> groups) =>
        [.. groups.Where(g => g.Any)
            .Select(g => new UnsafeGroup(g.Name, g.Blocks, g.BlocksJustified, g.BlocksTodo, g.BlocksUnjustified, g.Functions, g.FunctionsDocumented, g.Impls, g.ImplsJustified))
            .OrderByDescending(g => g.Blocks).ThenBy(g => g.Name, StringComparer.Ordinal)];

    private static List<UnjustifiedSite> Unjustified(ScanResult scan) =>
        [.. scan.Rust.Unsafe.Sites
            .Where(s => !s.DocTest && s.Kind is "block" or "impl" && s.Status != "justified")
            .OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Line)
            .Select(s => new UnjustifiedSite(s.Path, s.Line, s.Kind, s.Status, s.Area, s.Unit, SourceLink(scan.Release, s.Path, s.Line)))];
}
