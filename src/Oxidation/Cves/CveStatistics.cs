namespace Oxidation.Cves;

/// <summary>One classified record as the statistics need it.</summary>
public sealed record CveStatRow(string Id, int Year, string Subject, string Class, bool MemorySafety, string Confidence, string Language, IReadOnlyList<string> Files);

/// <summary>A share with its bounds: low-confidence classifications counted against it (lower) and for it (upper).</summary>
public sealed record ShareWithBounds(int Count, int Total, double Share, double Lower, double Upper);

/// <summary>Records of one year of publication (the year in the record's path and id).</summary>
public sealed record CveYear(int Year, int Records, IReadOnlyDictionary<string, int> Classes, ShareWithBounds MemorySafety)
{
    /// <summary>The memory-safety share corrected for the classifier's measured errors, with its 95% interval (null without labels).</summary>
    public ShareEstimate? MemorySafetyCorrected { get; init; }

    /// <summary>The share of records safe Rust would have prevented, corrected likewise.</summary>
    public ShareEstimate? PreventedBySafeRustCorrected { get; init; }
}

/// <summary>A name and how many records fall under it.</summary>
public sealed record CveCount(string Name, int Records);

/// <summary>A record whose fix touches Rust files.</summary>
public sealed record RustCve(string Id, int Year, string Subject, string Class, IReadOnlyList<string> Files);

/// <summary>Records per million lines of code of one language, with a 95% exact Poisson interval.</summary>
public sealed record DensityRow(string Language, int Records, long Code, double PerMillionLines, double Lower, double Upper)
{
    /// <summary>Of <see cref="Records"/>, those whose fixed files of this language exist in the joined release.</summary>
    public int RecordsInRelease { get; init; }

    /// <summary>Density counting only <see cref="RecordsInRelease"/>, with its 95% interval.</summary>
    public double PerMillionLinesInRelease { get; init; }

    /// <summary>Lower 95% limit of <see cref="PerMillionLinesInRelease"/>.</summary>
    public double LowerInRelease { get; init; }

    /// <summary>Upper 95% limit of <see cref="PerMillionLinesInRelease"/>.</summary>
    public double UpperInRelease { get; init; }
}

/// <summary>Density joined with a scanned release's line counts.</summary>
public sealed record CveDensity(string Release, string Rule, IReadOnlyList<DensityRow> Rows, double RustExposureYears, string RustExposureFrom, string AsOf);

/// <summary>Everything <c>oxidation cves stats</c> reports.</summary>
public sealed record CveStats(
    int Published,
    int Rejected,
    ShareWithBounds MemorySafety,
    IReadOnlyList<CveCount> ByClass,
    IReadOnlyList<CveYear> ByYear,
    IReadOnlyList<CveCount> ByTopDirectory,
    IReadOnlyList<CveCount> BySecondDirectory,
    IReadOnlyList<CveCount> ByLanguage,
    IReadOnlyList<RustCve> RustRecords,
    CveDensity? Density)
{
    /// <summary>Records per MAINTAINERS entry of the scanned release (entries covering a file the fix touched; THE REST left out).</summary>
    public IReadOnlyList<CveCount> ByMaintainersEntry { get; init; } = [];

    /// <summary>The release whose MAINTAINERS gave <see cref="ByMaintainersEntry"/>, or null when no tree was scanned.</summary>
    public string? MaintainersRelease { get; init; }

    /// <summary>The memory-safety share corrected for the classifier's measured errors, with its 95% interval (null without labels).</summary>
    public ShareEstimate? MemorySafetyCorrected { get; init; }

    /// <summary>The share of records safe Rust would have prevented, corrected likewise.</summary>
    public ShareEstimate? PreventedBySafeRustCorrected { get; init; }

    /// <summary>How the corrected shares were estimated (<see cref="ShareEstimate.Method"/>).</summary>
    public string? CorrectionMethod { get; init; }

    /// <summary>The version of the classifier that classified the records (<see cref="ICveClassifier.Version"/>), when known.</summary>
    public string? Classifier { get; init; }

    /// <summary>
    /// The share (0–1) of published records under <paramref name="count"/> (a class, a directory, a language): the one
    /// division the console and the report use for class shares; 0 when nothing is published.
    /// </summary>
    public double ShareOf(CveCount count)
    {
        ArgumentNullException.ThrowIfNull(count);
        return Published == 0 ? 0 : (double)count.Records / Published;
    }
}

/// <summary>Line counts of a scanned release for the density figures.</summary>
public sealed record ReleaseLines(string Release, long CCode, long RustCode)
{
    /// <summary>The paths of the release's files, to tell which fixed files exist in it.</summary>
    public IReadOnlySet<string> Files { get; init; } = new HashSet<string>();
}

/// <summary>The statistics of the published records. Pure: the store supplies the rows.</summary>
public static class CveStatistics
{
    /// <summary>The day Linux 6.1, the first release with Rust, was released.</summary>
    public static readonly DateOnly RustSince = new(2022, 12, 11);

    /// <summary>
    /// Why <paramref name="asOf"/> cannot end Rust's exposure, or null: before Linux 6.1 the exposure would be negative,
    /// and after <paramref name="today"/> it would count time that has not passed.
    /// </summary>
    public static string? AsOfProblem(DateOnly asOf, DateOnly today) =>
        asOf < RustSince ? $"before {RustSince.ToString("O", System.Globalization.CultureInfo.InvariantCulture)}, the release of Linux 6.1, the first with Rust: its exposure would be negative"
        : asOf > today ? "after today: exposure cannot be measured into the future"
        : null;

    /// <summary>Computes every figure; <paramref name="lines"/> adds the density when a tree has been scanned.</summary>
    /// <param name="rows">The published records.</param>
    /// <param name="rejected">How many records were rejected.</param>
    /// <param name="lines">A scanned release's line counts, for the densities.</param>
    /// <param name="asOf">The day Rust's exposure is measured to.</param>
    /// <param name="maintainersOf">The MAINTAINERS entries of a path in the scanned release.</param>
    /// <param name="maintainersRelease">That release.</param>
    /// <param name="calibration">Hand labels of a random sample of the records, to correct the shares for the classifier's errors.</param>
    /// <param name="outOfFold">The classifier's out-of-fold classes of the labelled records it was trained on (<see cref="ICveClassifier.OutOfFoldClasses"/>).</param>
    public static CveStats Compute(IReadOnlyList<CveStatRow> rows, int rejected, ReleaseLines? lines, DateOnly asOf,
        Func<string, IEnumerable<string>>? maintainersOf = null, string? maintainersRelease = null, IReadOnlyList<CveLabel>? calibration = null,
        IReadOnlyDictionary<string, string>? outOfFold = null)
    {
        var classifier = BugClassifier.Default;
        var byId = calibration is null ? null : rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        ShareEstimate? Corrected(IReadOnlyList<CveStatRow> population, Func<string, bool> property) =>
            byId is null ? null : CorrectedShare(population, byId, calibration!, property, outOfFold);
        var byYear = rows.GroupBy(r => r.Year).OrderBy(g => g.Key).Select(g => new CveYear(g.Key, g.Count(),
            g.GroupBy(r => r.Class).OrderByDescending(c => c.Count()).ThenBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Count()),
            Bounds(g.ToList()))
        {
            MemorySafetyCorrected = Corrected([.. g], classifier.IsMemorySafety),
            PreventedBySafeRustCorrected = Corrected([.. g], classifier.IsPreventedBySafeRust),
        }).ToList();
        static List<CveCount> CountBy(IEnumerable<CveStatRow> rows, Func<CveStatRow, IEnumerable<string>> keys) =>
            [.. rows.SelectMany(r => keys(r).Distinct().Select(k => (k, r.Id))).GroupBy(x => x.k)
                .Select(g => new CveCount(g.Key, g.Count())).OrderByDescending(c => c.Records).ThenBy(c => c.Name, StringComparer.Ordinal)];
        var rust = rows.Where(r => r.Files.Any(IsRust)).OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new RustCve(r.Id, r.Year, r.Subject, r.Class, r.Files)).ToList();
        CveDensity? density = null;
        if (lines is not null)
        {
            static bool IsC(string f) => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".h", StringComparison.Ordinal);
            var cRecords = rows.Count(r => r.Files.Any(IsC));
            var cInRelease = rows.Count(r => r.Files.Any(f => IsC(f) && lines.Files.Contains(f)));
            var rustInRelease = rows.Count(r => r.Files.Any(f => IsRust(f) && lines.Files.Contains(f)));
            density = new CveDensity(lines.Release,
                "a record counts for a language when its fix touches a file of it (C: .c or .h; Rust: .rs); code lines are the release's C + C/C++ Header code and its kernel Rust code (vendored crates excluded)",
                [Density("C", cRecords, cInRelease, lines.CCode), Density("Rust", rust.Count, rustInRelease, lines.RustCode)],
                Math.Round((asOf.DayNumber - RustSince.DayNumber) / 365.25, 2), RustSince.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                asOf.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }
        return new CveStats(rows.Count, rejected, Bounds(rows),
            CountBy(rows, r => [r.Class]), byYear,
            CountBy(rows, r => r.Files.Select(f => Directory(f, 1))),
            CountBy(rows, r => r.Files.Where(f => f.Count(c => c == '/') >= 2).Select(f => Directory(f, 2))),
            CountBy(rows, r => [r.Language]), rust, density)
        {
            ByMaintainersEntry = maintainersOf is null ? [] : CountBy(rows, r => r.Files.SelectMany(maintainersOf)),
            MaintainersRelease = maintainersOf is null ? null : maintainersRelease,
            MemorySafetyCorrected = Corrected(rows, classifier.IsMemorySafety),
            PreventedBySafeRustCorrected = Corrected(rows, classifier.IsPreventedBySafeRust),
            CorrectionMethod = calibration is null ? null : ShareEstimate.Method,
        };
    }

    /// <summary>
    /// The share of <paramref name="population"/> whose class has <paramref name="property"/>, corrected for the
    /// classifier's errors as measured on the <paramref name="calibration"/> labels (looked up in <paramref name="published"/>,
    /// the classified records): one definition for the statistics, the report and the claims. The error rates are those of
    /// the whole sample, so a year's or a subsystem's estimate assumes the classifier errs there as it does overall.
    /// A classifier trained on some of the labelled records (the learned hybrid) would look better on them than it is:
    /// for those records its prediction is the class it gave them out of fold (<paramref name="outOfFold"/>, from the
    /// cross-validation that also chose it), so the error rates are those of the classifier actually used, measured on
    /// records it was not trained on.
    /// </summary>
    public static ShareEstimate CorrectedShare(IReadOnlyList<CveStatRow> population, IReadOnlyDictionary<string, CveStatRow> published,
        IReadOnlyList<CveLabel> calibration, Func<string, bool> property, IReadOnlyDictionary<string, string>? outOfFold = null)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(property);
        string Predicted(string id) => outOfFold is not null && outOfFold.TryGetValue(id, out var cls) ? cls : published[id].Class;
        var pairs = calibration.Where(l => published.ContainsKey(l.Id))
            .Select(l => (property(l.Class), property(Predicted(l.Id)))).ToList();
        return ShareEstimator.Estimate(population.Count, population.Count(r => property(r.Class)), pairs);
    }

    private static bool IsRust(string file) => file.EndsWith(".rs", StringComparison.Ordinal);

    private static string Directory(string file, int depth) => string.Join('/', file.Split('/').Take(depth));

    /// <summary>The memory-safety share; its lower bound counts low-confidence memory-safety records as not, the upper bound low-confidence others as memory-safety.</summary>
    public static ShareWithBounds Bounds(IReadOnlyList<CveStatRow> rows)
    {
        var n = rows.Count;
        var yes = rows.Count(r => r.MemorySafety);
        var lowYes = rows.Count(r => r.MemorySafety && r.Confidence == "low");
        var lowNo = rows.Count(r => !r.MemorySafety && r.Confidence == "low");
        return n == 0 ? new ShareWithBounds(0, 0, 0, 0, 0)
            : new ShareWithBounds(yes, n, Round((double)yes / n), Round((double)(yes - lowYes) / n), Round((double)(yes + lowNo) / n));
    }

    private static DensityRow Density(string language, int records, int inRelease, long code)
    {
        var mloc = code / 1e6;
        if (mloc <= 0)
            return new DensityRow(language, records, code, 0, 0, 0) { RecordsInRelease = inRelease };
        var (lower, upper) = PoissonInterval(records);
        var (lowerIn, upperIn) = PoissonInterval(inRelease);
        return new DensityRow(language, records, code, Round(records / mloc), Round(lower / mloc), Round(upper / mloc))
        {
            RecordsInRelease = inRelease,
            PerMillionLinesInRelease = Round(inRelease / mloc),
            LowerInRelease = Round(lowerIn / mloc),
            UpperInRelease = Round(upperIn / mloc),
        };
    }

    /// <summary>The exact (Garwood) 95% interval for a Poisson count, found by bisection on the CDF.</summary>
    public static (double Lower, double Upper) PoissonInterval(int k)
    {
        var upper = Solve(lambda => Cdf(k, lambda) - 0.025, k + 1, k * 3.0 + 10);
        var lower = k == 0 ? 0 : Solve(lambda => Cdf(k - 1, lambda) - 0.975, 0, k);
        return (lower, upper);
    }

    private static double Solve(Func<double, double> f, double lo, double hi)
    {
        // f decreases in lambda: the CDF of a fixed count falls as the mean grows.
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if (f(mid) > 0)
                lo = mid;
            else
                hi = mid;
        }
        return (lo + hi) / 2;
    }

    private static double Cdf(int k, double lambda)
    {
        if (lambda <= 0)
            return 1;
        double sum = 0, logFactorial = 0;
        var logLambda = Math.Log(lambda);
        for (var i = 0; i <= k; i++)
        {
            if (i > 0)
                logFactorial += Math.Log(i);
            sum += Math.Exp(-lambda + i * logLambda - logFactorial);
        }
        return Math.Min(1, sum);
    }

    private static double Round(double x) => Math.Round(x, 4);
}
