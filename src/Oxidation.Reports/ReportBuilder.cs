using System.Globalization;
using Oxidation.History;
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
        var abstractions = Abstractions(db, releases);
        var summaries = releases.Select(r => Summary(db, r, abstractions.Count(a => a.Release == r))).ToList();
        var newest = releases.Count > 0 ? releases[^1] : null;
        var cves = Count(db, "SELECT count(*) FROM cves WHERE state = 'published'") > 0 ? CveStore.Statistics(db, newest, asOf) : null;
        HistoryReport? history = null;
        if (Count(db, "SELECT count(*) FROM history_commits") > 0)
        {
            var (commits, lines, order) = HistoryStore.Load(db);
            history = HistoryStatistics.Compute(commits, lines, order, partial: false);
        }
        claims ??= ClaimsFile.Shipped();
        var verdicts = ClaimChecker.Evaluate(db, claims);
        return new ReportModel(
            db.Path,
            summaries,
            Growth(db, releases, history),
            Units(db, releases, out var removed),
            removed,
            abstractions,
            [.. releases.SelectMany(r => db.Query("SELECT path, included_from FROM bindings_headers WHERE release = $1 ORDER BY path", r)
                .Select(x => new BindingsHeader(r, (string)x[0]!, (string)x[1]!)))],
            ReachStore.CoverageHistory(db),
            newest is null ? [] : UnsafeGroups(db, newest, "area"),
            newest is null ? [] : UnsafeGroups(db, newest, "unit"),
            newest is null ? [] : Unjustified(db, newest),
            cves,
            history,
            verdicts,
            claims.Path)
        {
            Changes = Changes(db, releases),
        };
    }

    /// <summary>Each stored release against the one before it, through the one diff (<see cref="ReleaseDiff.Compare"/>).</summary>
    private static List<ReleaseDiff> Changes(OxidationDatabase db, List<string> releases)
    {
        var changes = new List<ReleaseDiff>();
        var previous = releases.Count > 0 ? ScanStore.Load(db, releases[0]) : null;
        foreach (var r in releases.Skip(1))
        {
            var current = ScanStore.Load(db, r)!;
            changes.Add(ReleaseDiff.Compare(previous!, current));
            previous = current;
        }
        return changes;
    }

    private static long Count(OxidationDatabase db, string sql, params object?[] args) =>
        Convert.ToInt64(db.Query(sql, args)[0][0] ?? 0L, CultureInfo.InvariantCulture);

    private static int Int(object? value) => Convert.ToInt32(value ?? 0, CultureInfo.InvariantCulture);

    private static long Long(object? value) => Convert.ToInt64(value ?? 0L, CultureInfo.InvariantCulture);

    private static ReleaseSummary Summary(OxidationDatabase db, string release, int abstractionModules)
    {
        var r = db.Query("SELECT source, kernel_rust_files, kernel_rust_code, vendored_rust_code FROM releases WHERE release = $1", release)[0];
        return new ReleaseSummary(
            release,
            (string)r[0]!,
            ScanStore.Code(db, release)!.ProgrammingCode,
            Long(r[1]),
            Long(r[2]),
            Long(r[3]),
            (int)Count(db, "SELECT count(*) FROM rust_units WHERE release = $1", release),
            (int)Count(db, "SELECT count(*) FROM unsafe_sites WHERE release = $1 AND kind = 'block' AND NOT doc_test", release),
            (int)Count(db, "SELECT count(*) FROM unsafe_sites WHERE release = $1 AND kind = 'block' AND NOT doc_test AND status = 'justified'", release),
            (int)Count(db, "SELECT count(*) FROM bindings_headers WHERE release = $1", release),
            (int)Count(db, "SELECT count(*) FROM bindings_helpers WHERE release = $1", release),
            abstractionModules);
    }

    private static List<AreaLines> Growth(OxidationDatabase db, IReadOnlyList<string> releases, HistoryReport? history)
    {
        var rows = new List<AreaLines>();
        foreach (var r in releases)
        {
            // rust_areas holds the vendored crates as the area "vendored", apart from kernel Rust.
            rows.AddRange(db.Query("SELECT area, files, code FROM rust_areas WHERE release = $1 ORDER BY area", r)
                .Select(x => new AreaLines(r, "scan", (string)x[0]!, Long(x[1]), Long(x[2]))));
        }
        if (history is not null)
        {
            foreach (var tag in history.Releases.Where(h => !h.Unreleased))
                rows.AddRange(tag.Lines.OrderBy(l => l.Area, StringComparer.Ordinal).Select(l => new AreaLines(l.Release, "history", l.Area, l.Files, l.Code)));
        }
        return rows;
    }

    private static List<UnitRow> Units(OxidationDatabase db, IReadOnlyList<string> releases, out List<RemovedUnit> removed)
    {
        var rows = new List<UnitRow>();
        removed = [];
        HashSet<string>? previous = null;
        string? previousRelease = null;
        foreach (var r in releases)
        {
            var units = db.Query("SELECT name, kind, kconfig, prompt, experimental, counterpart, linked_into, code, unsafe_blocks, files[1] FROM rust_units WHERE release = $1 ORDER BY name", r);
            var names = units.Select(u => (string)u[0]!).ToHashSet(StringComparer.Ordinal);
            rows.AddRange(units.Select(u => new UnitRow(r, (string)u[0]!, (string)u[1]!, u[2] as string, u[3] as string, u[4] is true, u[5] as string, u[6] as string,
                Long(u[7]), Int(u[8]), u[9] as string ?? "", previous is null ? "first scanned" : previous.Contains((string)u[0]!) ? "kept" : "new")));
            if (previous is not null)
                removed.AddRange(previous.Where(p => !names.Contains(p)).Order(StringComparer.Ordinal).Select(p => new RemovedUnit(previousRelease!, p, r)));
            previous = names;
            previousRelease = r;
        }
        return rows;
    }

    private static List<AbstractionModule> Abstractions(OxidationDatabase db, IReadOnlyList<string> releases)
    {
        var modules = new List<AbstractionModule>();
        foreach (var r in releases)
        {
            var entries = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var m in db.Query("SELECT entry, files FROM maintainers WHERE release = $1", r))
            {
                if (m[1] is not System.Collections.IEnumerable files)
                    continue;
                foreach (var f in files.OfType<string>())
                {
                    if (!entries.TryGetValue(f, out var set))
                        entries[f] = set = new SortedSet<string>(StringComparer.Ordinal);
                    set.Add((string)m[0]!);
                }
            }
            var rustFiles = db.Query("SELECT path, area, code FROM rust_files WHERE release = $1 ORDER BY path", r)
                .Select(f => (Module: RustAnalyzer.AbstractionModule((string)f[0]!, (string)f[1]!), Path: (string)f[0]!, Code: Long(f[2])))
                .Where(f => f.Module is not null);
            modules.AddRange(rustFiles.GroupBy(f => f.Module!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new AbstractionModule(r, g.Key, g.Count(), g.Sum(f => f.Code),
                    [.. g.SelectMany(f => entries.GetValueOrDefault(f.Path) ?? []).Where(e => e != "THE REST").Distinct().Order(StringComparer.Ordinal)])));
        }
        return modules;
    }

    private static List<UnsafeGroup> UnsafeGroups(OxidationDatabase db, string release, string column) =>
        [.. db.Query($"""
            SELECT coalesce({column}, '(none)') AS name,
                count(*) FILTER (WHERE kind = 'block'),
                count(*) FILTER (WHERE kind = 'block' AND status = 'justified'),
                count(*) FILTER (WHERE kind = 'block' AND status = 'todo'),
                count(*) FILTER (WHERE kind = 'block' AND status = 'unjustified'),
                count(*) FILTER (WHERE kind = 'fn'),
                count(*) FILTER (WHERE kind = 'fn' AND status = 'documented'),
                count(*) FILTER (WHERE kind = 'impl'),
                count(*) FILTER (WHERE kind = 'impl' AND status = 'justified')
            FROM unsafe_sites WHERE release = $1 AND NOT doc_test {(column == "unit" ? "AND unit IS NOT NULL" : "")}
            GROUP BY 1 ORDER BY 2 DESC, 1
            """, release)
            .Select(x => new UnsafeGroup((string)x[0]!, Int(x[1]), Int(x[2]), Int(x[3]), Int(x[4]), Int(x[5]), Int(x[6]), Int(x[7]), Int(x[8])))];

    private static List<UnjustifiedSite> Unjustified(OxidationDatabase db, string release) =>
        [.. db.Query("""
            SELECT path, line, kind, status, area, unit FROM unsafe_sites
            WHERE release = $1 AND NOT doc_test AND kind IN ('block', 'impl') AND status <> 'justified'
            ORDER BY path, line
            """, release)
            .Select(x => new UnjustifiedSite((string)x[0]!, Int(x[1]), (string)x[2]!, (string)x[3]!, (string)x[4]!, x[5] as string,
                SourceLink(release, (string)x[0]!, Int(x[1]))))];
}
