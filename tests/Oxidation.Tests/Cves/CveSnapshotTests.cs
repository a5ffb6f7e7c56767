using Oxidation.Cves;

namespace Oxidation.Tests.Cves;

/// <summary>The real snapshot; the counts were checked with ls and a python json.load pass over the unpacked archive.</summary>
public sealed class CveSnapshotTests
{
    [Fact]
    public void Every_record_of_the_snapshot_is_read()
    {
        var result = CveSnapshot.Result;
        Assert.Empty(result.Problems);
        Assert.Equal(14_938, result.Files);
        Assert.Equal(14_626, result.Records.Count(r => r.State == "published"));
        Assert.Equal(312, result.Records.Count(r => r.State == "rejected"));
    }

    [Fact]
    public void Published_records_per_year_match_the_directories()
    {
        // for y in 2019..2026: ls cve/published/$y | wc -l
        Assert.Equal(
            [(2019, 2), (2020, 17), (2021, 731), (2022, 2122), (2023, 1615), (2024, 3064), (2025, 2668), (2026, 4407)],
            CveSnapshot.Result.Records.Where(r => r.State == "published").GroupBy(r => r.Year).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())));
    }

    [Fact]
    public void The_eleven_records_touching_rust_are_found()
    {
        var rows = CveSnapshot.Result.Records.Where(r => r.State == "published")
            .Select(r => new CveStatRow(r.Id, r.Year, r.Subject, "logic", false, "low", CveFacts.LanguageCategory(r.ProgramFiles), r.ProgramFiles)).ToList();
        var stats = CveStatistics.Compute(rows, 312, null, new DateOnly(2026, 8, 21));
        Assert.Equal(
            ["CVE-2025-68260", "CVE-2025-71181", "CVE-2026-23194", "CVE-2026-23400", "CVE-2026-43433", "CVE-2026-43434", "CVE-2026-43435",
             "CVE-2026-45926", "CVE-2026-64466", "CVE-2026-64467", "CVE-2026-64509"],
            stats.RustRecords.Select(r => r.Id));
        Assert.Equal(11, stats.ByLanguage.Single(l => l.Name == "rust").Records);
        Assert.Equal(["drivers/android/binder/node.rs"], CveSnapshot.ById["CVE-2025-68260"].ProgramFiles);
    }

    [Fact]
    public void The_memory_safety_share_is_corrected_for_the_rules_measured_errors()
    {
        var classifier = BugClassifier.Default;
        var rows = CveSnapshot.Result.Records.Where(r => r.State == "published").Select(r =>
        {
            var c = classifier.Classify(r);
            return new CveStatRow(r.Id, r.Year, r.Subject, c.Class, c.MemorySafety, c.Confidence.ToString().ToLowerInvariant(), "", r.ProgramFiles);
        }).ToList();
        var stats = CveStatistics.Compute(rows, 312, null, new DateOnly(2026, 8, 21), calibration: CveLabels.Calibration);
        var corrected = stats.MemorySafetyCorrected!;
        // The calibration labels: the train rows of v1 (440), v2 (400) and v4 (240), counted with python over
        // `cves classify --rules-only --json` and the label files: 401 memory-safety bugs by hand, of which the rules find
        // 302 (99 missed); of the 679 others they call 28 one. Corrected: 4,618/14,626 + (99 - 28)/1080 = 38.15%.
        Assert.Equal(1080, corrected.Labelled);
        Assert.Equal(302.0 / 401, corrected.TruePositiveRate, 10);
        Assert.Equal(28.0 / 679, corrected.FalsePositiveRate, 10);
        Assert.Equal(4_618.0 / 14_626, corrected.Raw, 10);
        Assert.Equal(4_618.0 / 14_626 + (99 - 28) / 1080.0, corrected.Corrected, 10);
        // The share by hand in that random sample (401 of 1080 = 37.1%) lies inside the interval; the raw share does not;
        // the interval is about ±2 points (sd of label - prediction over 1080 records, python: 0.337, so ±1.96 × 0.0102).
        Assert.InRange(401.0 / 1080, corrected.Low, corrected.High);
        Assert.True(corrected.Raw < corrected.Low);
        Assert.InRange(corrected.High - corrected.Low, 0.038, 0.05);
        Assert.Equal(2_026, stats.ByYear[^1].Year);
        Assert.True(stats.ByYear[^1].MemorySafetyCorrected!.Corrected > stats.ByYear[^1].MemorySafety.Share);
        Assert.NotNull(stats.PreventedBySafeRustCorrected);
        Assert.DoesNotContain(CveLabels.Calibration, l => l.Set != "train");
    }

    [Fact]
    public void Cvss_and_fixes_are_read()
    {
        var r = CveSnapshot.ById["CVE-2025-68260"];
        Assert.Equal("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", r.CvssVector);
        Assert.Equal(7.8, r.CvssScore);
        Assert.Contains("3428831264096d32f830a7fcfc7885dd263e511a", r.Fixes);
    }

    /// <summary>CVE-2025-21629, read by hand: introduced in 6.12, fixed in 6.12.9 and 6.13; the first entry also marks
    /// 6.1.116–6.1.123, 6.6.60–6.6.69 and 5.10.229–5.10.x affected (backports of the bug).</summary>
    [Theory]
    [InlineData("6.12.5", true)]
    [InlineData("6.12", true)]
    [InlineData("6.12.9", false)]
    [InlineData("6.13", false)]
    [InlineData("6.1.120", true)]
    [InlineData("6.1.124", false)]
    [InlineData("6.1.100", false)]
    [InlineData("5.10.230", true)]
    [InlineData("6.13-rc1", true)] // before 6.13: the record marks only 6.13 and later unaffected
    public void Affected_ranges_decide_which_releases_a_record_affects(string release, bool affected) =>
        Assert.Equal(affected, ReleaseRanges.Affects(CveSnapshot.ById["CVE-2025-21629"], release));

    [Fact]
    public void Poisson_intervals_match_published_tables()
    {
        // Garwood 95% limits: k=0 -> (0, 3.689), k=11 -> (5.491, 19.682) (e.g. Ulm 1990's table).
        var (l0, u0) = CveStatistics.PoissonInterval(0);
        Assert.Equal((0, 3.689), (l0, Math.Round(u0, 3)));
        var (l11, u11) = CveStatistics.PoissonInterval(11);
        Assert.Equal((5.491, 19.682), (Math.Round(l11, 3), Math.Round(u11, 3)));
    }
}
