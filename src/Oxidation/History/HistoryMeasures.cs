namespace Oxidation.History;

/// <summary>
/// The one definition of each history measure (docs/history.md, "Measures"): <c>oxidation history</c> (console and JSON),
/// the report and the <c>history</c> claim form all call these. Pure, over mined commits.
/// </summary>
public static class HistoryMeasures
{
    /// <summary>A Rust changeset: a non-merge commit touching Rust that does not touch only vendored crates.</summary>
    public static bool IsRustChangeset(MinedCommit c) => c.Rust && !c.Merge && !c.VendoredOnly;

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
}
