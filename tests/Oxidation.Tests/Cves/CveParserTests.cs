using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Oxidation.Cves;

namespace Oxidation.Tests.Cves;

public sealed class CveParserTests
{
    private const string Minimal = """
        {"cveMetadata": {"cveId": "CVE-2025-1000", "state": "PUBLISHED"},
         "containers": {"cna": {"title": "foo: fix bar",
           "descriptions": [{"lang": "en", "value": "In the Linux kernel, the following vulnerability has been resolved:\n\nfoo: fix use-after-free in bar\n\nThe body."}],
           "affected": [{"defaultStatus": "affected", "programFiles": ["drivers/foo/bar.c"],
             "versions": [{"version": "6.1", "status": "affected"}, {"version": "0", "lessThan": "6.1", "status": "unaffected", "versionType": "semver"}]}],
           "references": [{"url": "https://git.kernel.org/stable/c/0123456789abcdef0123456789abcdef01234567"}]}}}
        """;

    private static (CveRecord? Record, CveProblem? Problem) Parse(string path, string json)
    {
        var record = CveParser.TryParse(path, Encoding.UTF8.GetBytes(json), out var problem);
        return (record, problem);
    }

    [Fact]
    public void A_record_is_mapped_with_subject_files_ranges_and_fixes()
    {
        var (record, problem) = Parse("cve/published/2025/CVE-2025-1000.json", Minimal);
        Assert.Null(problem);
        Assert.NotNull(record);
        Assert.Equal(("CVE-2025-1000", "published", 2025, "foo: fix use-after-free in bar"), (record.Id, record.State, record.Year, record.Subject));
        Assert.Equal(["drivers/foo/bar.c"], record.ProgramFiles);
        Assert.Equal(["0123456789abcdef0123456789abcdef01234567"], record.Fixes);
        Assert.Equal([("release", "6.1"), ("semver", "0")], record.Ranges.Select(r => (r.Kind, r.Version)));
        Assert.Equal("\n\nThe body.", record.Body);
    }

    [Fact]
    public void The_state_comes_from_the_directory() =>
        Assert.Equal("rejected", Parse("cve/rejected/2025/CVE-2025-1000.json", Minimal).Record!.State);

    [Fact]
    public void The_cveID_spelling_of_291_snapshot_records_is_accepted() =>
        Assert.NotNull(Parse("cve/published/2025/CVE-2025-1000.json", Minimal.Replace("\"cveId\"", "\"cveID\"", StringComparison.Ordinal)).Record);

    [Theory]
    [InlineData("cve/published/2025/CVE-2025-1000.json", "{not json", "malformed JSON")]
    [InlineData("cve/published/2025/CVE-2025-1000.json", "{\"containers\": {}}", "missing field cveMetadata")]
    [InlineData("cve/published/2025/CVE-2025-1000.json", "{\"cveMetadata\": {}}", "missing field cveMetadata.cveId")]
    [InlineData("cve/published/2025/CVE-2025-9.json", null, "id CVE-2025-1000 does not match the file name")]
    [InlineData("notes/CVE-2025-1000.json", null, "outside the expected layout")]
    public void Bad_records_are_refused_with_a_reason(string path, string? json, string reason)
    {
        var (record, problem) = Parse(path, json ?? Minimal);
        Assert.Null(record);
        Assert.NotNull(problem);
        Assert.Equal(path, problem.Path);
        Assert.StartsWith(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_version_type_is_refused() =>
        Assert.Equal("unknown versionType 'calendar'",
            Parse("cve/published/2025/CVE-2025-1000.json", Minimal.Replace("\"semver\"", "\"calendar\"", StringComparison.Ordinal)).Problem!.Reason);

    [Fact]
    public void A_published_record_without_descriptions_is_refused() =>
        Assert.Equal("missing field containers.cna.descriptions",
            Parse("cve/published/2025/CVE-2025-1000.json", Minimal.Replace("\"descriptions\"", "\"notes\"", StringComparison.Ordinal)).Problem!.Reason);

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("-0.1")]
    [InlineData("10.05")]
    public void A_cvss_base_score_outside_0_to_10_is_refused_naming_the_score(string score)
    {
        // 1e400 was read as infinity, stored, and then broke `cves show --json` (issue 10).
        var json = Minimal.Replace("\"references\"", $"\"metrics\": [{{\"cvssV3_1\": {{\"baseScore\": {score}}}}}], \"references\"", StringComparison.Ordinal);
        var (record, problem) = Parse("cve/published/2025/CVE-2025-1000.json", json);
        Assert.Null(record);
        Assert.Equal($"CVSS 3.1 baseScore {score} is out of range (a base score is 0.0 to 10.0)", problem!.Reason);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("0.0", 0.0)]
    [InlineData("7.8", 7.8)]
    [InlineData("10", 10.0)]
    public void A_cvss_base_score_from_0_to_10_is_kept(string score, double expected)
    {
        var json = Minimal.Replace("\"references\"", $"\"metrics\": [{{\"cvssV3_1\": {{\"baseScore\": {score}}}}}], \"references\"", StringComparison.Ordinal);
        Assert.Equal(expected, Parse("cve/published/2025/CVE-2025-1000.json", json).Record!.CvssScore);
    }

    [Fact]
    public void A_record_named_with_other_digits_than_0_to_9_is_outside_the_layout()
    {
        // \d matched "٢٠٢٥" (Arabic-Indic digits) and int.Parse then threw on the year.
        const string Path = "cve/published/٢٠٢٥/CVE-٢٠٢٥-1000.json";
        var (record, problem) = Parse(Path, Minimal.Replace("CVE-2025-1000", "CVE-٢٠٢٥-1000", StringComparison.Ordinal));
        Assert.Null(record);
        Assert.StartsWith("outside the expected layout", problem!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_in_the_wrong_year_directory_is_outside_the_layout()
    {
        var (record, problem) = Parse("cve/published/2024/CVE-2025-1000.json", Minimal);
        Assert.Null(record);
        Assert.Equal("outside the expected layout: a 2025 id in the 2024 directory", problem!.Reason);
    }

    [Theory]
    [InlineData("6.12.117", true)]
    [InlineData("6.13-rc1", true)]
    [InlineData("6.13-rc", false)]
    [InlineData("6.13-rcX", false)]
    [InlineData("6.13-rc-1", false)]
    [InlineData("99999999999.1", false)]
    [InlineData("", false)]
    public void Kernel_releases_parse_only_when_every_part_is_a_number(string text, bool parses) =>
        Assert.Equal(parses, Oxidation.Releases.Release.TryParse(text, out _));

    [Fact]
    public void Any_bytes_and_any_value_in_any_field_give_a_record_or_a_problem_never_an_exception()
    {
        // Issue 10's fuzz: random bytes, and the minimal record (with a CVSS block) with up to three of its tokens
        // replaced by hostile JSON values, keys included, so both the JSON reader and the mapping are reached.
        var withMetrics = Minimal.Replace("\"references\"", "\"metrics\": [{\"cvssV3_1\": {\"vectorString\": \"CVSS:3.1/AV:N\", \"baseScore\": 7.8}}], \"references\"", StringComparison.Ordinal);
        var tokens = Regex.Matches(withMetrics, @"""(?:[^""\\]|\\.)*""|-?[0-9][0-9.eE+-]*|\[|\{").ToArray();
        string[] values = ["1e400", "-1e400", "-0", "1e-400", "null", "true", "[]", "{}", "[[]]", "\"\"", "\"\\u0000\"", "\"٢٠٢٥\"", "12345678901234567890",
            "{\"a\": 1}", "[1, \"x\", null]", "\"CVE-2025-1000\"", "\"6.1-rc\"", "\"*\"", "\"git\"", "\"calendar\""];
        string[] paths = ["cve/published/2025/CVE-2025-1000.json", "cve/rejected/2025/CVE-2025-1000.json", "cve/published/2024/CVE-2025-1000.json", "x.json"];
        void Check(string path, byte[] bytes)
        {
            var record = CveParser.TryParse(path, bytes, out var problem);
            Assert.True(record is null != problem is null, $"{path}: {Encoding.UTF8.GetString(bytes)}");
            if (record?.CvssScore is { } score)
                Assert.InRange(score, 0.0, 10.0);
        }
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, paths.Length - 1]).Sample((bytes, p) => Check(paths[p], bytes), iter: 5_000);
        var edit = Gen.Select(Gen.Int[0, tokens.Length - 1], Gen.Int[0, values.Length - 1]);
        Gen.Select(edit.Array[1, 3], Gen.Int[0, paths.Length - 1]).Sample((edits, p) =>
        {
            var text = new StringBuilder(withMetrics);
            foreach (var (t, v) in edits.Select(e => (tokens[e.Item1], values[e.Item2])).OrderByDescending(e => e.Item1.Index).DistinctBy(e => e.Item1.Index))
                text.Remove(t.Index, t.Length).Insert(t.Index, v);
            Check(paths[p], Encoding.UTF8.GetBytes(text.ToString()));
        }, iter: 20_000);
    }

    [Theory]
    [InlineData(new[] { "a/b.c" }, "c-only")]
    [InlineData(new[] { "a/b.c", "include/x.h" }, "c-with-headers")]
    [InlineData(new[] { "include/x.h" }, "headers")]
    [InlineData(new[] { "drivers/android/binder/node.rs", "a/b.c" }, "rust")]
    [InlineData(new[] { "arch/x86/entry.S" }, "assembly")]
    [InlineData(new[] { "a/b.c", "Makefile" }, "mixed")]
    [InlineData(new string[0], "none")]
    public void Language_categories(string[] files, string expected) => Assert.Equal(expected, CveFacts.LanguageCategory(files));
}
