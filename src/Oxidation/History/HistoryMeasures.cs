namespace Oxidation.History;

/// <summary>
/// The one definition of each history measure (docs/history.md, "Measures"): <c>oxidation history</c> (console and JSON),
/// the report and the <c>history</c> claim form all call these. Pure, over mined commits.
/// </summary>
public static class HistoryMeasures
{
    /// <summary>A Rust changeset: a non-merge commit touching Rust that does not touch only vendored crates.</summary>
    public static bool IsRustChangeset(MinedCommit c) => c.Rust && !c.Merge && !c.VendoredOnly;

    /// <summary>A vendored changeset: a non-merge commit touching Rust only inside vendored crates.</summary>
    public static bool IsVendoredChangeset(MinedCommit c) => c.Rust && !c.Merge && c.VendoredOnly;

    /// <summary>
    /// The commits whose lines a release's line figures count: every non-merge commit touching Rust, vendored-only ones
    /// included (their lines go to the vendored columns).
    /// </summary>
    public static bool CountsLines(MinedCommit c) => c.Rust && !c.Merge;

    /// <summary>Rust lines (kernel Rust, not vendored) added and removed by <paramref name="commits"/> that count lines.</summary>
    public static (long Added, long Removed) RustLines(IEnumerable<MinedCommit> commits) => Sum(commits, c => (c.RustAdded, c.RustRemoved));

    /// <summary>Vendored-crate lines added and removed by <paramref name="commits"/> that count lines.</summary>
    public static (long Added, long Removed) VendoredLines(IEnumerable<MinedCommit> commits) => Sum(commits, c => (c.VendoredAdded, c.VendoredRemoved));

    /// <summary>Lines one changeset changed: kernel Rust lines added plus removed (what the top developers by lines rank).</summary>
    public static long LinesChanged(MinedCommit c) => (long)c.RustAdded + c.RustRemoved;

    /// <summary>A dual-API commit: it changes <c>rust/</c> and a C header in one commit (the C API and its Rust side together).</summary>
    public static bool IsDualApi(MinedCommit c) => c.TouchesRustDirectory && c.Headers.Count > 0;

    /// <summary>A Rust build fix: the subject says it fixes the Rust build (<see cref="MinedCommit.FixesRustBuild"/>, decided when mined).</summary>
    public static bool IsRustBuildFix(MinedCommit c) => c.FixesRustBuild;

    /// <summary>The review trailers of a commit: Reviewed-by and Acked-by.</summary>
    public static IEnumerable<MinedTrailer> Reviews(MinedCommit c) => c.Trailers.Where(IsReview);

    /// <summary>The Tested-by trailers of a commit.</summary>
    public static IEnumerable<MinedTrailer> Tests(MinedCommit c) => c.Trailers.Where(t => t.Key == "Tested-by");

    /// <summary>The C headers changed in the same commit as <c>rust/</c>, each with how many changesets did so; most first.</summary>
    public static IEnumerable<HeaderCoChange> HeadersChangedWithRust(IEnumerable<MinedCommit> changesets) =>
        changesets.Where(c => c.TouchesRustDirectory).SelectMany(c => c.Headers).GroupBy(h => h, StringComparer.Ordinal)
            .Select(g => new HeaderCoChange(g.Key, g.Count())).OrderByDescending(h => h.Commits).ThenBy(h => h.Header, StringComparer.Ordinal);

    /// <summary>The Rust changesets of <paramref name="commits"/>, of one release when <paramref name="release"/> is given.</summary>
    public static List<MinedCommit> RustChangesets(IEnumerable<MinedCommit> commits, string? release = null) =>
        [.. commits.Where(c => IsRustChangeset(c) && (release is null || c.Release == release))];

    /// <summary>
    /// Who a person is when people are counted: the address (after .mailmap), lower-cased, because mail systems treat
    /// addresses case-insensitively and the same author writes <c>Ada@Intel.com</c> and <c>ada@intel.com</c>.
    /// </summary>
    public static string PersonKey(Identity who) => who.Email.ToLowerInvariant();

    /// <summary>Distinct authors of the changesets (<see cref="PersonKey"/>).</summary>
    public static int DistinctAuthors(IEnumerable<MinedCommit> changesets) =>
        changesets.Select(c => PersonKey(c.Author)).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Distinct known employers of the changesets' authors (<c>(Unknown)</c> is not an employer).</summary>
    public static int KnownEmployers(IEnumerable<MinedCommit> changesets) =>
        changesets.Select(c => c.Employer).Where(e => e != EmployerMap.Unknown).Distinct(StringComparer.Ordinal).Count();

    /// <summary>At least one Reviewed-by or Acked-by.</summary>
    public static bool IsReviewed(MinedCommit c) => c.Trailers.Any(IsReview);

    /// <summary>
    /// Reviewed by another employer: a reviewer or acker whose known employer differs from the author's known employer.
    /// When the author's employer is unknown, nobody can be said to be of another employer: the commit does not count.
    /// </summary>
    public static bool ReviewedByOtherEmployer(MinedCommit c) =>
        c.Employer != EmployerMap.Unknown
        && c.Trailers.Any(t => IsReview(t) && t.Employer != EmployerMap.Unknown && t.Employer != c.Employer);

    /// <summary>The author's employer is not known.</summary>
    public static bool ByUnknownEmployer(MinedCommit c) => c.Employer == EmployerMap.Unknown;

    /// <summary>The author's employer is <paramref name="employer"/> (compared without case, as a claim writes it).</summary>
    public static bool ByEmployer(MinedCommit c, string employer) => string.Equals(c.Employer, employer, StringComparison.OrdinalIgnoreCase);

    /// <summary>The fraction (0–1) of <paramref name="changesets"/> meeting <paramref name="predicate"/>; 0 of none.</summary>
    public static double Share(IReadOnlyCollection<MinedCommit> changesets, Func<MinedCommit, bool> predicate) =>
        changesets.Count == 0 ? 0 : (double)changesets.Count(predicate) / changesets.Count;

    private static bool IsReview(MinedTrailer t) => t.Key is "Reviewed-by" or "Acked-by";

    private static (long Added, long Removed) Sum(IEnumerable<MinedCommit> commits, Func<MinedCommit, (int Added, int Removed)> lines)
    {
        long added = 0, removed = 0;
        foreach (var c in commits.Where(CountsLines))
        {
            var (a, r) = lines(c);
            added += a;
            removed += r;
        }
        return (added, removed);
    }
}
