namespace Oxidation.CHeaders;

/// <summary>One commit that changes C headers and Rust together: the Rust files the impact of its C part names
/// (<see cref="Predicted"/>), the Rust files of the parent it changes (<see cref="Changed"/>), and the Rust files it adds,
/// which no impact of the parent's tree can name.</summary>
public sealed record ValidatedCommit(
    string Commit,
    string Subject,
    int Declarations,
    IReadOnlyList<string> Predicted,
    IReadOnlyList<string> Changed,
    IReadOnlyList<string> Added)
{
    /// <summary>Rust files both predicted and changed.</summary>
    public IReadOnlyList<string> Hits => [.. Predicted.Intersect(Changed, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>Precision and recall of impact against history, summed over commits (micro-averaged): of the Rust files the impact
/// names, the share the commit changed; of the parent's Rust files the commit changed, the share the impact named.</summary>
public sealed record ImpactValidation(IReadOnlyList<ValidatedCommit> Commits)
{
    /// <summary>Σ hits / Σ predicted; null when nothing was predicted.</summary>
    public double? Precision => Share(Commits.Sum(c => c.Hits.Count), Commits.Sum(c => c.Predicted.Count));

    /// <summary>Σ hits / Σ changed; null when no commit changed an existing Rust file.</summary>
    public double? Recall => Share(Commits.Sum(c => c.Hits.Count), Commits.Sum(c => c.Changed.Count));

    private static double? Share(int part, int of) => of == 0 ? null : (double)part / of;

    /// <summary>The C part of a commit's diff: every file but the Rust sources (<c>.rs</c>), so what it predicts comes from
    /// the headers, helpers and bindgen input alone.</summary>
    public static UnifiedDiff CPart(UnifiedDiff diff) => new(
        [.. diff.Files.Where(f => !IsRust(f.OldPath) && !IsRust(f.NewPath))],
        [.. diff.Problems.Where(p => !IsRust(p.Path))]);

    /// <summary>Scores one commit: <paramref name="report"/> is the impact of its <see cref="CPart"/> on the parent's tree;
    /// <paramref name="files"/> are the (old path, new path) pairs the commit changes, null for a side that does not exist.</summary>
    public static ValidatedCommit Score(string commit, string subject, ImpactReport report, IEnumerable<(string? Old, string? New)> files)
    {
        var list = files.ToList();
        var predicted = report.Declarations.SelectMany(d => d.Uses).Select(u => u.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var changed = list.Where(f => f.Old is { } o && IsRust(o)).Select(f => f.Old!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var added = list.Where(f => f.Old is null && f.New is { } n && IsRust(n)).Select(f => f.New!).Order(StringComparer.Ordinal).ToList();
        return new ValidatedCommit(commit, subject, report.Declarations.Count, predicted, changed, added);
    }

    private static bool IsRust(string path) => path.EndsWith(".rs", StringComparison.Ordinal);
}
