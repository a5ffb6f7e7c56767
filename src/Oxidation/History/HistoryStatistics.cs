namespace Oxidation.History;

/// <summary>A name with a count of Rust changesets and lines changed.</summary>
public sealed record HistoryCount(string Name, int Changesets, long LinesChanged);

/// <summary>The figures of one release (LWN's per-release tables, restricted to Rust).</summary>
public sealed record ReleaseHistory(
    string Release,
    bool Unreleased,
    int RustChangesets,
    int VendoredChangesets,
    long RustAdded,
    long RustRemoved,
    long VendoredAdded,
    long VendoredRemoved,
    int Authors,
    IReadOnlyList<HistoryCount> Employers,
    double UnknownEmployerShare,
    double ReviewedShare,
    double ReviewedByOtherEmployerShare,
    int DualApiCommits,
    int RustBuildFixes,
    IReadOnlyList<TagLines> Lines);

/// <summary>How often a C header changed in the same commit as <c>rust/</c>.</summary>
public sealed record HeaderCoChange(string Header, int Commits);

/// <summary>Everything <c>oxidation history</c> reports.</summary>
public sealed record HistoryReport(
    IReadOnlyList<ReleaseHistory> Releases,
    IReadOnlyList<HistoryCount> TopDevelopersByChangesets,
    IReadOnlyList<HistoryCount> TopDevelopersByLines,
    IReadOnlyList<HistoryCount> Employers,
    IReadOnlyList<HistoryCount> Reviewers,
    IReadOnlyList<HistoryCount> Testers,
    IReadOnlyList<HeaderCoChange> HeadersChangedWithRust,
    IReadOnlyList<string> RustBuildFixSubjects,
    double UnknownEmployerShare,
    bool Partial);

/// <summary>Computes the history figures from mined commits. Pure.</summary>
public static class HistoryStatistics
{
    /// <summary>Builds the report; <paramref name="releaseOrder"/> lists releases oldest first.</summary>
    public static HistoryReport Compute(IReadOnlyList<MinedCommit> commits, IReadOnlyList<TagLines> lines, IReadOnlyList<(string Release, bool Unreleased)> releaseOrder, bool partial, int top = 20)
    {
        var rust = HistoryMeasures.RustChangesets(commits);
        var releases = releaseOrder.Select(r =>
        {
            var all = commits.Where(c => c.Release == r.Release).ToList();
            var mine = HistoryMeasures.RustChangesets(all);
            var (rustAdded, rustRemoved) = HistoryMeasures.RustLines(all);
            var (vendoredAdded, vendoredRemoved) = HistoryMeasures.VendoredLines(all);
            return new ReleaseHistory(r.Release, r.Unreleased, mine.Count, all.Count(HistoryMeasures.IsVendoredChangeset),
                rustAdded, rustRemoved, vendoredAdded, vendoredRemoved,
                HistoryMeasures.DistinctAuthors(mine),
                Count(mine, c => [c.Employer], int.MaxValue),
                Share(mine, HistoryMeasures.ByUnknownEmployer),
                Share(mine, HistoryMeasures.IsReviewed),
                Share(mine, HistoryMeasures.ReviewedByOtherEmployer),
                mine.Count(HistoryMeasures.IsDualApi),
                mine.Count(HistoryMeasures.IsRustBuildFix),
                [.. lines.Where(l => l.Release == r.Release)]);
        }).ToList();
        var reviews = rust.SelectMany(c => HistoryMeasures.Reviews(c).Select(t => (c, t))).ToList();
        var tests = rust.SelectMany(c => HistoryMeasures.Tests(c).Select(t => (c, t))).ToList();
        // People are counted as the distinct authors are (HistoryMeasures.PersonKey: one per address, case aside) and shown
        // by the name they use most, so the top lists and the author count never disagree about who is one person.
        var developers = rust.GroupBy(c => HistoryMeasures.PersonKey(c.Author), StringComparer.Ordinal)
            .Select(g => new HistoryCount(MostUsedName(g.Select(c => c.Author)), g.Count(), g.Sum(HistoryMeasures.LinesChanged))).ToList();
        return new HistoryReport(
            releases,
            [.. developers.OrderByDescending(x => x.Changesets).ThenBy(x => x.Name, StringComparer.Ordinal).Take(top)],
            [.. developers.OrderByDescending(x => x.LinesChanged).ThenBy(x => x.Name, StringComparer.Ordinal).Take(top)],
            Count(rust, c => [c.Employer], top),
            [.. reviews.GroupBy(x => HistoryMeasures.PersonKey(x.t.Person), StringComparer.Ordinal)
                .Select(g => new HistoryCount(MostUsedName(g.Select(x => x.t.Person)), g.Select(x => x.c.Sha).Distinct().Count(), 0))
                .OrderByDescending(x => x.Changesets).ThenBy(x => x.Name, StringComparer.Ordinal).Take(top)],
            [.. tests.GroupBy(x => HistoryMeasures.PersonKey(x.t.Person), StringComparer.Ordinal)
                .Select(g => new HistoryCount(MostUsedName(g.Select(x => x.t.Person)), g.Select(x => x.c.Sha).Distinct().Count(), 0))
                .OrderByDescending(x => x.Changesets).ThenBy(x => x.Name, StringComparer.Ordinal).Take(top)],
            [.. HistoryMeasures.HeadersChangedWithRust(rust)],
            [.. rust.Where(HistoryMeasures.IsRustBuildFix).Select(c => $"{c.Sha[..12]} {c.Subject}")],
            Share(rust, HistoryMeasures.ByUnknownEmployer),
            partial);
    }

    private static string Name(Identity who) => who.Name.Length > 0 ? who.Name : who.Email;

    /// <summary>The name one person (one address) uses most; a tie goes to the first in ordinal order.</summary>
    private static string MostUsedName(IEnumerable<Identity> spellings) =>
        spellings.GroupBy(Name, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

    private static List<HistoryCount> Count(IEnumerable<MinedCommit> commits, Func<MinedCommit, IEnumerable<string>> keys, int top) =>
        [.. commits.SelectMany(c => keys(c).Select(k => (k, c))).GroupBy(x => x.k)
            .Select(g => new HistoryCount(g.Key, g.Count(), g.Sum(x => HistoryMeasures.LinesChanged(x.c))))
            .OrderByDescending(x => x.Changesets).ThenBy(x => x.Name, StringComparer.Ordinal).Take(top)];

    // Rounded for display; the measure is HistoryMeasures.Share.
    private static double Share(List<MinedCommit> commits, Func<MinedCommit, bool> predicate) => Math.Round(HistoryMeasures.Share(commits, predicate), 4);
}
